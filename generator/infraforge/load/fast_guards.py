"""Texts the fast path leaves to the full reader: where yaml-rs and libyaml may read apart.

yaml-rs reads YAML 1.2 and types plain scalars by a wider schema; ruamel's C parser is libyaml,
a YAML 1.1 parser. Each guard here is a construct that the differential tests (or the YAML
specs) show the two readers treat differently, found in the text before yaml-rs reads it. The
guards may refuse more than they must (a `&` in a sentence, `1_000` in a comment): such a file
only takes the full reader's path.
"""

from __future__ import annotations

import re

_RUN = "0-9A-Za-z_.+-"  # a plain scalar yaml-rs could type as a number is a whole run of these
# Each guard: substrings that may start a construct where the parsers differ, and a pattern
# that must match for the construct to be there.
_GUARDS: tuple[tuple[tuple[str, ...], re.Pattern[str] | None], ...] = (
    # tabs after indicators (yaml-rs takes some libyaml refuses); LS/PS are line breaks to
    # YAML 1.1 (libyaml) and ordinary characters to 1.2; merge keys
    (("\t", "\u2028", "\u2029", "<<"), None),
    # anchors (a name follows) and tags: yaml-rs expands aliases and honours tags, the full
    # reader refuses them; without an anchor an alias is an error to both
    (("&", "!"), re.compile(r"(?:^|[\s\[\]{},:])(?:&[^\s\[\]{},]|!)", re.MULTILINE)),
    (("%",), re.compile(r"^%", re.MULTILINE)),  # reserved directives
    (("...",), re.compile(r"^\.\.\.(?:[ \n]|\Z)", re.MULTILINE)),  # documents end at `---`
    # numbers to yaml-rs, strings to the YAML 1.2 core schema: digits with underscores, 0b, 0B,
    # 0O, 0X, signed prefixes, mixed-case .inf and .nan
    (("_",), re.compile(f"(?<![{_RUN}])[+-]?(?:_|[0-9.][{_RUN}]*_)")),
    (("0X", "0O", "0B", "0b", "+0x", "+0o", "-0x", "-0o"),
     re.compile(f"(?<![{_RUN}])(?:[+-]?0[XOBb]|[+-]0[xo])")),
    ((".i", ".I", ".n", ".N"),
     re.compile(f"\\.(?!inf|Inf|INF|nan|NaN|NAN)(?:[iI][nN][fF]|[nN][aA][nN])(?![{_RUN}])")),
)
_BRACKET_LINE = re.compile(r"^[^\n\[\]{}]*[\[\]{}][^\n]*", re.MULTILINE)
_BRACKET = re.compile(r"[\[\]{}]")
_COMMENT = re.compile(r"(?:^|[ ])#")
# `key: "value"` filling its line: the brackets are in the quoted value (were the line inside
# an earlier multi-line scalar, its first quote would end that and leave a syntax error)
_QUOTED_VALUE_LINE = re.compile(r"[ ]*(?:- )*[\w.-]+: (?:\"[^\"\\]*\"|'[^']*')")
# In flow collections libyaml (YAML 1.1) ends or refuses a plain scalar at `?` and at `:` before
# anything but a space, and refuses one starting with `|` or `>`, where yaml-rs (YAML 1.2) reads
# on.
_FLOW_TROUBLE = re.compile(r"[?|>]|:[^ ]")


def guarded(text: str) -> bool:
    """Whether `text` may hold a construct the two readers treat differently."""
    for triggers, pattern in _GUARDS:
        for trigger in triggers:
            if trigger in text:
                if pattern is None or pattern.search(text):
                    return True
                break
    return ("[" in text or "{" in text or "]" in text or "}" in text) and _unsure_flow(text)


def _unsure_flow(text: str) -> bool:
    """False when every flow collection is on one line, free of `?`, `|`, `>`, `:x` and quotes.

    Every line with a bracket (in a flow collection or not) must balance its brackets, up to a
    comment, and be free of those. A flow collection spanning lines would leave its first line
    unbalanced: without quotes, each bracket before a ` #` is a flow indicator, and ` #` starts
    a comment (or the line is inside a multi-line quoted scalar: no flow collection there).
    """
    for line in _BRACKET_LINE.findall(text):
        if "'" in line or '"' in line:
            if _QUOTED_VALUE_LINE.fullmatch(line):
                continue
            return True
        comment = _COMMENT.search(line)
        if comment:
            line = line[:comment.start()]
        if _FLOW_TROUBLE.search(line):
            return True
        unclosed = []
        for bracket in _BRACKET.findall(line):
            if bracket in "[{":
                unclosed.append("]" if bracket == "[" else "}")
            elif not unclosed or unclosed.pop() != bracket:
                return True
        if unclosed:
            return True
    return False
