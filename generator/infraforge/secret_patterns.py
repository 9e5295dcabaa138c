"""What a secret looks like: the one list of shapes the catalog check, the policy rule and the
diff redactor all use, so a shape added here is caught (and hidden) everywhere at once.

Each credential shape is its own pattern led by a literal. `re` then jumps from one occurrence
of the literal to the next; a single alternation led by `\\b` tries every position of the text
instead (on 1 KB of a rendered Deployment: 80-130 µs against 4-8 µs for these). The word start
that `\\b` gave is checked by hand at each occurrence.
"""

from __future__ import annotations

import re
from typing import NamedTuple

SECRET_NAME = re.compile(r"(?i)(passw(or)?d|secret|token|api[_-]?key|private[_-]?key|credential)")


class CredentialShape(NamedTuple):
    pattern: re.Pattern[str]
    word_start: bool  # the shape must begin a word: no letter, digit or `_` right before it


CREDENTIAL_SHAPES = (
    CredentialShape(re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), False),
    CredentialShape(re.compile(r"AKIA[0-9A-Z]{16}\b"), True),  # AWS access key ids
    CredentialShape(re.compile(r"ASIA[0-9A-Z]{16}\b"), True),
    CredentialShape(re.compile(r"gh[pousr]_[A-Za-z0-9]{36}\b"), True),  # GitHub tokens
    # Slack tokens; ten characters settle it, and a bounded match keeps rejected
    # occurrences (no word start) from each scanning to the end of a long run
    CredentialShape(re.compile(r"xox[abpr]-[A-Za-z0-9-]{10}"), True),
    CredentialShape(re.compile(r"://[^/\s:@]+:[^/\s@]+@"), False),  # user:password in a URL
)


def looks_like_credential(text: str) -> bool:
    """Whether `text` holds any credential shape (word-led shapes only where a word starts)."""
    return any(_occurs(shape, text) for shape in CREDENTIAL_SHAPES)


def may_hold_credential(text: str) -> bool:
    """A cheap gate for a serialised document (repr, YAML): true whenever any string in it
    could be a credential. The word start is not checked, because an escape such as `\\n` may
    stand right before a key there; confirm each string with `looks_like_credential`."""
    return any(shape.pattern.search(text) for shape in CREDENTIAL_SHAPES)


def _occurs(shape: CredentialShape, text: str) -> bool:
    match = shape.pattern.search(text)
    while match is not None:
        start = match.start()
        if not shape.word_start or start == 0 or not _is_word_char(text[start - 1]):
            return True
        match = shape.pattern.search(text, start + 1)  # an overlapping later one may qualify
    return False


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what `\b` counts as a word character
