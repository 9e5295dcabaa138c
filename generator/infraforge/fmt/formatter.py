"""Format one YAML file, proving the result safe before anyone writes it.

The hardened loader checks the input first (duplicate keys, tags, aliases, encoding...), and
the formatted text must then load to exactly the same data and carry exactly the same comments;
otherwise the file is left alone with a warning (ruamel drops comments in a few spots, e.g.
inside flow collections or after a `...` document end).
"""

from __future__ import annotations

from dataclasses import dataclass

from infraforge.errors import Diagnostic, Position, Severity
from infraforge.fmt.canonical import canonical_text
from infraforge.fmt.comments import comments_of
from infraforge.load.yaml_source import read_yaml_documents


@dataclass(frozen=True)
class Formatted:
    file: str
    original: bytes
    text: bytes  # equals `original` when the file is left alone
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def changed(self) -> bool:
        return self.text != self.original


def format_source(raw: bytes, file: str) -> Formatted:
    documents, problems = read_yaml_documents(raw, file)
    if problems:
        return Formatted(file, raw, raw, tuple(problems))
    if not documents:
        return Formatted(file, raw, raw)  # only comments or blank lines: nothing to lay out
    source = raw.decode("utf-8").replace("\r\n", "\n")
    text = canonical_text(source)
    unsafe = _check_same(source, text, [d.data for d in documents], file)
    if unsafe:
        return Formatted(file, raw, raw, (unsafe,))
    return Formatted(file, raw, text.encode("utf-8"))


def _check_same(source: str, text: str, data: list, file: str) -> Diagnostic | None:
    formatted, problems = read_yaml_documents(text.encode("utf-8"), file)
    if problems or [d.data for d in formatted] != data:
        return Diagnostic("FMT-UNSAFE", "formatting would change a value; file left as is",
                          Position(file), "please report this; the file itself is fine",
                          Severity.WARNING)
    lost = comments_of(source) - comments_of(text)
    if lost:
        return Diagnostic("FMT-UNSAFE", f"formatting would drop the comment {next(iter(lost))!r}; "
                          "file left as is", Position(file), "move the comment next to a key",
                          Severity.WARNING)
    return None
