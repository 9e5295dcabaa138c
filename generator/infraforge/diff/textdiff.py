"""Readable YAML diffs of one object: only the lines that changed, secrets masked."""

from __future__ import annotations

import difflib

from infraforge.diff.documents import Document
from infraforge.diff.redact import needs_redaction, redacted_text, redacted_texts

CONTEXT_LINES = 3


def display_text(doc: Document) -> str:
    """The document as a reader may see it: its text, or a masked re-dump when it holds secrets."""
    return redacted_text(doc.body) if needs_redaction(doc.text) else doc.text


def pair_texts(old: Document, new: Document, canonical: bool = True) -> tuple[str, str]:
    """Both sides, masked alike; re-dumped when the trees' texts are not canonical."""
    if needs_redaction(old.text) or needs_redaction(new.text):
        return redacted_texts(old.body, new.body)
    if not canonical:
        return redacted_text(old.body), redacted_text(new.body)
    return old.text, new.text


def unified(old_text: str, new_text: str) -> str:
    """`@@` hunks with +/- lines (unified format, no file header lines)."""
    old, new = old_text.splitlines(), new_text.splitlines()
    out: list[str] = []
    for group in _groups(_opcodes(old, new)):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in old[i1:i2]]
                continue
            out += ["-" + line for line in old[i1:i2]]
            out += ["+" + line for line in new[j1:j2]]
    return "\n".join(out)


Opcode = tuple[str, int, int, int, int]


def _opcodes(old: list[str], new: list[str]) -> list[Opcode]:
    """difflib's opcodes, computed only between the common head and tail: a one-line change
    in a 60-line object costs a comparison of one line, not a full sequence match."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    matcher = difflib.SequenceMatcher(None, old[start:len(old) - end], new[start:len(new) - end],
                                      autojunk=False)
    ops: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
    ops += [(tag, i1 + start, i2 + start, j1 + start, j2 + start)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    if end:
        ops.append(("equal", len(old) - end, len(old), len(new) - end, len(new)))
    return ops


def _groups(ops: list[Opcode]) -> list[list[Opcode]]:
    """Hunks with CONTEXT_LINES of context: difflib's own grouping, fed our opcodes."""
    return list(_Precomputed(ops).get_grouped_opcodes(CONTEXT_LINES))


class _Precomputed(difflib.SequenceMatcher):
    def __init__(self, ops: list[Opcode]):
        super().__init__(None, [], [], autojunk=False)
        self._ops = ops

    def get_opcodes(self) -> list[Opcode]:  # type: ignore[override]
        return list(self._ops)


def _range(start: int, stop: int) -> str:
    length = stop - start
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def change_diff(old: Document, new: Document, canonical: bool = True) -> str:
    return unified(*pair_texts(old, new, canonical))


def added_diff(doc: Document) -> str:
    return "\n".join("+" + line for line in display_text(doc).splitlines())
