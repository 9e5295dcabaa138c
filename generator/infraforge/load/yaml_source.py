"""Hardened YAML reading: YAML 1.2 core schema only, every value keeps its file:line:col.

The catalog is written by tenants, so it is hostile input. This module owns the file-level
limits (size, encoding, control characters, directives, nesting the C composer cannot survive)
and the document type; `composed` runs ruamel's composer and `yaml_nodes` turns the composed
nodes into data under the node-level limits (both imported only when a file needs them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from infraforge.errors import Diagnostic, Position
from infraforge.incremental.fingerprint import digest
from infraforge.lazy import cached_property
from infraforge.load.plain import Path

MAX_FILE_BYTES = 1024 * 1024
# Nesting the C composer (and yaml-rs) cannot survive: ruamel's overflows its stack somewhere
# between 20k and 30k levels, yaml-rs's at about 10k. Flow nesting needs one bracket per level;
# block nesting needs one more column per level, or two characters of a compact `- - ` or `? `
# prefix, so a line whose start is a long run of spaces and indicators is the only way deep.
_BRACKET_BUDGET = 10_000
_LONG_PREFIX = re.compile(r"^[ \t?:-]{256}", re.MULTILINE)

_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_DIRECTIVE = re.compile(r"^%(YAML|TAG)\b", re.MULTILINE)


@dataclass(frozen=True)
class YamlDocument:
    """One YAML document as plain data, with the position of every node by its path.

    Positions are only needed when something is reported, so a document restored from the
    cache carries the file's bytes instead and finds its positions again on first use.
    """

    data: Any
    file: str
    index: int
    raw: bytes = field(repr=False, compare=False)
    # Its file's bytes compiled cleanly before, with this generator (its parse came from the
    # cache, which only a clean compile saves): it types and passes the per-document rules.
    checked: bool = field(default=False, compare=False)
    file_digest: str = field(default="", repr=False, compare=False)  # digest(raw), if known

    @cached_property
    def content_digest(self) -> str:
        """`digest` of the file's bytes: the loader's, which it hashed once for its cache."""
        return self.file_digest or digest(self.raw)

    @property
    def kind(self) -> Any:
        """The kind the document declares, None when it is not a mapping."""
        return self.data.get("kind") if isinstance(self.data, dict) else None

    @cached_property
    def fingerprint(self) -> str:
        """Identifies the document's content: the file's bytes and the document's index."""
        return f"{self.content_digest}#{self.index}"

    @cached_property
    def positions(self) -> dict[Path, Position]:
        return self._located().positions

    @cached_property
    def key_positions(self) -> dict[Path, Position]:
        return self._located().key_positions

    def _located(self) -> YamlDocument:
        documents, _ = read_yaml_documents(self.raw, self.file)
        return documents[self.index]

    def position(self, path: Path) -> Position:
        """Where the value at `path` starts (or its deepest existing ancestor's value)."""
        for cut in range(len(path), -1, -1):
            found = self.positions.get(path[:cut])
            if found is not None:
                return found
        return Position(self.file, 1, 1)

    def key_position(self, path: Path) -> Position:
        """Where the key of `path` is written; the value's position for list items."""
        return self.key_positions.get(path) or self.position(path)


def read_yaml_documents(raw: bytes, file: str) -> tuple[list[YamlDocument], list[Diagnostic]]:
    """Parse `raw` (the bytes of `file`) into documents, or return diagnostics explaining why not."""
    text, problem = decode(raw, file)
    if problem:
        return [], [problem]
    # imported here: ruamel is only loaded when a file really needs the hardened reader
    from infraforge.load.composed import compose_documents

    return compose_documents(text, raw, file)


def might_be_deep(text: str) -> bool:
    """False when `text` provably nests fewer than ~10,500 levels: under every crash depth.

    Block nesting gains a level per column of a line's leading run of spaces and indicators (two
    levels when a sequence sits at its parent key's column); flow nesting a level per bracket.
    """
    return (text.count("[") + text.count("{") > _BRACKET_BUDGET
            or _LONG_PREFIX.search(text) is not None)


def decode(raw: bytes, file: str) -> tuple[str, Diagnostic | None]:
    """The file-level checks (size, encoding, control characters, directives), then the text."""
    if len(raw) > MAX_FILE_BYTES:
        return "", Diagnostic("YAML-TOO-LARGE", f"file is larger than {MAX_FILE_BYTES} bytes",
                              Position(file), "split the file")
    if raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return "", Diagnostic("YAML-ENCODING", "byte-order mark found; files must be UTF-8 "
                              "without a BOM", Position(file, 1, 1))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw[: exc.start].decode("utf-8", "replace"))
        return "", Diagnostic("YAML-ENCODING", "file is not valid UTF-8",
                              Position(file, line, col), "save the file as UTF-8")
    bad = _FORBIDDEN_CHARS.search(text)
    if bad:
        line, col = _line_col(text[: bad.start()])
        return "", Diagnostic("YAML-ENCODING", f"forbidden control character U+{ord(bad.group()):04X}",
                              Position(file, line, col), "remove invisible or control characters")
    directive = _DIRECTIVE.search(text) if "%" in text else None
    if directive:
        line, col = _line_col(text[: directive.start()])
        return "", Diagnostic("YAML-DIRECTIVE", f"%{directive.group(1)} directives are not "
                              "allowed: the catalog is always YAML 1.2", Position(file, line, col))
    return text, None


def _line_col(prefix: str) -> tuple[int, int]:
    return prefix.count("\n") + 1, len(prefix) - (prefix.rfind("\n") + 1) + 1
