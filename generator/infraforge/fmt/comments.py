"""Where the comments of a YAML text are: a `#` at a line start or after a blank, outside scalars.

A `#` inside a quoted or block scalar is text, not a comment, so scalar spans come from
ruamel's scanner rather than from a regular expression.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator

from ruamel.yaml import YAML
from ruamel.yaml.tokens import ScalarToken

_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\n]*", re.MULTILINE)


def _comments(text: str) -> Iterator[re.Match[str]]:
    scanner = YAML(typ="safe", pure=True)
    spans = sorted((t.start_mark.index, t.end_mark.index) for t in scanner.scan(text)
                   if isinstance(t, ScalarToken))
    starts = [start for start, _ in spans]
    for match in _COMMENT.finditer(text):
        at = bisect.bisect_right(starts, match.start()) - 1
        if at < 0 or not spans[at][0] <= match.start() < spans[at][1]:
            yield match


def comments_of(text: str) -> Counter[str]:
    """Every comment of `text`, counted (what formatting must keep)."""
    return Counter(match.group().rstrip() for match in _comments(text))


def comment_only_lines(text: str) -> set[int]:
    """0-based indices of the lines that hold nothing but a comment."""
    lines = set()
    for match in _comments(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not text[line_start:match.start()].strip():
            lines.add(text.count("\n", 0, match.start()))
    return lines
