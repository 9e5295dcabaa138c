"""Read rendered files into RenderedObjects, one per YAML document.

Rendered trees are large (tens of thousands of documents) and written by a machine, so this
reader is built for speed, not for the catalog's hostile-input limits: documents are split on
their `---` lines and each one is parsed by yaml-rs (Rust, ~50x the C-accelerated Python
loaders here), which also rejects duplicate keys. Positions are not recorded on this path;
`positions.locate` finds them again for the few documents that have a problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from infraforge.check.objects import RenderedObject
from infraforge.check.positions import FieldPath, find_duplicate_key, locate
from infraforge.check.tree import TreeFile
from infraforge.errors import Diagnostic, Position

# A document marker is `---` or `...` at column 0, followed by whitespace or the end of the line;
# the YAML spec forbids one inside any scalar, so splitting on it is exact. Searched as a newline
# and the marker (a literal prefix the regex engine can jump to: 6x faster than `^` with
# MULTILINE), plus a check at the very start of the text.
_MARKER = re.compile(r"\n(?:---|\.\.\.)(?=[ \t\r\n]|$)")
_MARKER_AT_START = re.compile(r"(?:---|\.\.\.)(?=[ \t\r\n]|$)")
_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)
_ERROR_AT = re.compile(r"at line (\d+), column (\d+)")


class Chunk(NamedTuple):
    """One document: its text, where that text starts in the file (characters) and the file
    line it starts on (1-based)."""

    text: str
    start: int
    first_line: int


@dataclass(frozen=True)
class ParsedFile:
    """`spans` maps a document index to (start, end, first line) in the decoded text, so a
    problem found later can be located without keeping every document's text."""

    file: TreeFile
    objects: tuple[RenderedObject, ...]
    diagnostics: tuple[Diagnostic, ...]
    spans: dict[int, tuple[int, int, int]]

    def document_text(self, index: int) -> tuple[str, int] | None:
        """The text of document `index` and its first line, if the file has it."""
        span = self.spans.get(index)
        if span is None:
            return None
        start, end, first_line = span
        return self.file.raw.decode("utf-8")[start:end], first_line

    def position(self, index: int, steps: FieldPath = ()) -> Position:
        """Where field `steps` of document `index` is (the document's start if not found)."""
        found = self.document_text(index)
        if found is None:
            return Position(self.file.display, 1, 1)
        text, first_line = found
        line, col = locate(text, steps) or (1, 1)
        return Position(self.file.display, first_line + line - 1, col)


def split_documents(text: str) -> Iterator[Chunk]:
    """Yield each document's text; the text after a `---` on its own line stays with it."""
    start, line = 0, 1
    first = _MARKER_AT_START.match(text)
    if first is not None:
        yield Chunk("", 0, 1)
        start = first.end()
    for marker in _MARKER.finditer(text):
        begin, end = marker.start() + 1, marker.end()  # the newline ends the document before
        yield Chunk(text[start:begin], start, line)
        line += text.count("\n", start, end)
        start = end
    yield Chunk(text[start:], start, line)


def read_file(file: TreeFile) -> ParsedFile:
    try:
        text = file.raw.decode("utf-8")
    except UnicodeDecodeError:
        problem = Diagnostic("YAML-ENCODING", "file is not valid UTF-8", Position(file.display, 1, 1))
        return ParsedFile(file, (), (problem,), {})
    objects: list[RenderedObject] = []
    problems: list[Diagnostic] = []
    spans: dict[int, tuple[int, int, int]] = {}
    index = -1  # counts non-empty documents, the way kubeconform numbers resources
    for chunk in split_documents(text):
        if chunk.first_line == 1 and chunk.text.startswith("%"):
            continue  # directives before the first `---` belong to no document
        try:
            data = load_document(chunk.text)
        except ValueError as exc:
            index += 1
            problems.append(_parse_problem(file.display, chunk, exc))
            continue
        if data is None:
            continue  # an empty document is not a resource
        index += 1
        spans[index] = (chunk.start, chunk.start + len(chunk.text), chunk.first_line)
        line = _first_content_line(text, chunk)
        if not isinstance(data, dict):
            problems.append(Diagnostic(
                "YAML-NOT-OBJECT", f"document is a {type(data).__name__}, not a mapping",
                Position(file.display, line, 1), "each document must be one Kubernetes object"))
            continue
        objects.append(RenderedObject(file.rel, index, line, data))
    return ParsedFile(file, tuple(objects), tuple(problems), spans)


def _first_content_line(text: str, chunk: Chunk) -> int:
    """The line of the document's first node (not a blank or comment line)."""
    body = chunk.text
    if body[:1] == "\n" and len(body) > 1 and not body[1].isspace() and body[1] != "#":
        return chunk.first_line + 1  # `---` alone on its line and the node on the next one
    end = chunk.start + len(chunk.text)
    newline = text.find("\n", chunk.start, end)
    rest_of_marker_line = text[chunk.start:newline if newline >= 0 else end].strip()
    if rest_of_marker_line and not rest_of_marker_line.startswith("#"):
        return chunk.first_line
    found = _CONTENT.search(text, chunk.start, chunk.start + len(chunk.text))
    return chunk.first_line + text.count("\n", chunk.start, found.start()) if found \
        else chunk.first_line


def _parse_problem(display: str, chunk: Chunk, exc: ValueError) -> Diagnostic:
    message = str(exc)
    if "duplicate" in message:
        found = find_duplicate_key(chunk.text)
        if found is not None:
            key, line, col, first = found
            return Diagnostic("YAML-DUPLICATE-KEY", f"duplicate key {key!r} (first set on line "
                              f"{chunk.first_line + first - 1})",
                              Position(display, chunk.first_line + line - 1, col),
                              "remove one of the two; kubeconform -strict rejects the file")
    where = _ERROR_AT.search(message)
    line, col = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
    reason = message.strip().splitlines()[-1] if message.strip() else "invalid YAML"
    return Diagnostic("YAML-SYNTAX", reason.strip(" |^"),
                      Position(display, chunk.first_line + line - 1, col))


def _load_with_yaml_rs(text: str) -> Any:
    try:
        return yaml_rs.loads(text, parse_datetime=False,
                             duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
    except yaml_rs.YAMLDecodeError as exc:
        raise ValueError(str(exc)) from None


def _load_with_ruamel(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:  # the safe constructor refuses duplicate keys, like yaml-rs
        return YAML(typ="safe", pure=False).load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ValueError(f"{where}\n{getattr(exc, 'problem', None) or exc}") from None


try:
    import yaml_rs
except ImportError:  # slower (about 50x) but the same YAML 1.2 reading
    load_document = _load_with_ruamel
else:
    load_document = _load_with_yaml_rs
