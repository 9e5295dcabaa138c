"""Hardened YAML reading: YAML 1.2 core schema only, every value keeps its file:line:col.

The catalog is written by tenants, so it is hostile input. ruamel.yaml's C composer builds the
node tree (fast, with marks); we then convert nodes to plain data ourselves, which is where the
limits live: duplicate and non-string keys, tags outside the core schema, aliases, nesting depth,
scalar and file size, encoding and control characters.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from infraforge.errors import Diagnostic, Position

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 48
MAX_SCALAR_CHARS = 64 * 1024
_BRACKET_BUDGET = 10_000  # far below the ~20k levels where ruamel's C composer overflows

Path = tuple[str | int, ...]

# Plain scalars are typed by `_plain` below, not by ruamel's resolver (which costs about half of
# composing); the resolver only marks them with this private tag.
_PLAIN = "tag:infraforge,plain"
_CORE_TAGS = {
    _PLAIN, "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}
# C0/C1 controls other than tab/newline, and the bidi overrides used in "Trojan Source" attacks.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_DIRECTIVE = re.compile(r"^%(YAML|TAG)\b", re.MULTILINE)
# The YAML 1.2 core schema's resolution of plain scalars.
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = re.compile(r"([-+]?\.(inf|Inf|INF))|\.(nan|NaN|NAN)")


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

    @cached_property
    def fingerprint(self) -> str:
        """Identifies the document's content: the file's bytes and the document's index."""
        return f"{hashlib.sha256(self.raw).hexdigest()}#{self.index}"

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


class _Reject(Exception):
    def __init__(self, rule: str, message: str, node: Node | None, hint: str = ""):
        super().__init__(message)
        self.rule, self.message, self.node, self.hint = rule, message, node, hint


def read_yaml_documents(raw: bytes, file: str) -> tuple[list[YamlDocument], list[Diagnostic]]:
    """Parse `raw` (the bytes of `file`) into documents, or return diagnostics explaining why not."""
    text, problem = _decode(raw, file)
    if problem:
        return [], [problem]
    try:
        _check_flow_depth(text, file)
        nodes = list(_COMPOSER.compose_all(text))
    except MarkedYAMLError as exc:
        return [], [_syntax_diagnostic(exc, file)]
    except (YAMLError, RecursionError) as exc:
        rule = "YAML-TOO-DEEP" if isinstance(exc, RecursionError) else "YAML-SYNTAX"
        # a syntax error met during the depth scan carries a mark; report it like the composer
        if isinstance(exc, MarkedYAMLError):
            return [], [_syntax_diagnostic(exc, file)]
        return [], [Diagnostic(rule, _first_line(exc), Position(file, 1, 1))]
    documents, diagnostics = [], []
    for index, node in enumerate(n for n in nodes if n is not None):
        converter = _Converter(file)
        try:
            data = converter.convert(node, (), 0)
        except _Reject as rej:
            diagnostics.append(Diagnostic(rej.rule, rej.message, converter.pos(rej.node), rej.hint))
            continue
        document = YamlDocument(data, file, index, raw)
        # computed anyway while converting: fill the lazy attributes now
        document.__dict__.update(positions=converter.positions,
                                 key_positions=converter.key_positions)
        documents.append(document)
    return documents, diagnostics


def _check_flow_depth(text: str, file: str) -> None:
    """Refuse pathological nesting before composing: the C composer recurses and would crash.

    Block nesting deep enough to matter cannot fit in MAX_FILE_BYTES, and flow nesting needs one
    bracket per level, so only files with many brackets pay for the event scan.
    """
    if text.count("[") + text.count("{") <= _BRACKET_BUDGET:
        return
    depth = 0
    for event in _COMPOSER.parse(text):
        name = type(event).__name__
        if name in ("MappingStartEvent", "SequenceStartEvent"):
            depth += 1
            if depth > MAX_DEPTH:
                raise RecursionError(f"nesting deeper than {MAX_DEPTH} levels")
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1


class _TagOnlyResolver(VersionedResolver):
    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is SequenceNode else "tag:yaml.org,2002:map"


def _composer() -> YAML:
    yaml = YAML(typ="safe", pure=False)
    yaml.version = (1, 2)
    yaml.Resolver = _TagOnlyResolver
    return yaml


def _decode(raw: bytes, file: str) -> tuple[str, Diagnostic | None]:
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
    directive = _DIRECTIVE.search(text)
    if directive:
        line, col = _line_col(text[: directive.start()])
        return "", Diagnostic("YAML-DIRECTIVE", f"%{directive.group(1)} directives are not "
                              "allowed: the catalog is always YAML 1.2", Position(file, line, col))
    return text, None


def _line_col(prefix: str) -> tuple[int, int]:
    return prefix.count("\n") + 1, len(prefix) - (prefix.rfind("\n") + 1) + 1


def _syntax_diagnostic(exc: MarkedYAMLError, file: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    position = Position(file, mark.line + 1, mark.column + 1) if mark else Position(file, 1, 1)
    message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
    rule = "YAML-DUPLICATE-KEY" if "duplicate" in message else "YAML-SYNTAX"
    return Diagnostic(rule, message, position)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or ["invalid YAML"])[0]


class _Converter:
    """Turns a composed node tree into plain data, enforcing the catalog's YAML limits."""

    def __init__(self, file: str):
        self.file = file
        self.positions: dict[Path, Position] = {}
        self.key_positions: dict[Path, Position] = {}
        self._seen: set[int] = set()

    def pos(self, node: Node | None) -> Position:
        if node is None:
            return Position(self.file, 1, 1)
        return Position(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def convert(self, node: Node, path: Path, depth: int) -> Any:
        if id(node) in self._seen:
            raise _Reject("YAML-ALIAS", "aliases (*name) are not allowed in the catalog", node,
                          "repeat the value instead; aliases are how alias bombs are built")
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Reject("YAML-TOO-DEEP", f"nesting deeper than {MAX_DEPTH} levels", node)
        if _tag_of(node) not in _CORE_TAGS:
            raise _Reject("YAML-TAG", f"tag {node.tag!r} is not allowed", node,
                          "only plain YAML 1.2 values (strings, numbers, booleans, null, maps, "
                          "lists) are accepted")
        self.positions[path] = self.pos(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return _scalar(node)

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if key_node.value == "<<" and _tag_of(key_node) in (_PLAIN, "tag:yaml.org,2002:merge"):
                raise _Reject("YAML-TAG", "merge keys (<<) are not allowed", key_node,
                              "write the keys out; merges hide where a value comes from")
            if not isinstance(key_node, ScalarNode) or not isinstance(_scalar(key_node), str):
                raise _Reject("YAML-KEY-TYPE", "mapping keys must be strings", key_node,
                              "quote the key")
            key = key_node.value
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                raise _Reject("YAML-DUPLICATE-KEY", f"duplicate key {key!r} (first set on line "
                              f"{line})", key_node, "remove one of the two")
            first_seen[key] = key_node
            result[key] = self.convert(value_node, (*path, key), depth + 1)
            self.key_positions[(*path, key)] = self.pos(key_node)
        return result


def _scalar(node: ScalarNode) -> Any:
    value: str = node.value
    if len(value) > MAX_SCALAR_CHARS:
        raise _Reject("YAML-TOO-LARGE", f"value is {len(value)} characters, the limit is "
                      f"{MAX_SCALAR_CHARS}", node)
    tag = _tag_of(node)
    if tag == _PLAIN:
        return _plain(value)
    if tag == "tag:yaml.org,2002:str":
        return value
    # An explicit !!int, !!float, !!bool or !!null must also be spelt as one.
    name = tag.rsplit(":", 1)[-1]
    typed = _plain(value)
    expected = {"int": (int,), "float": (float, int), "bool": (bool,), "null": (type(None),)}
    if type(typed) not in expected[name]:
        raise _Reject("YAML-TAG", f"{value!r} is not a valid {name}", node)
    return float(typed) if name == "float" else typed


def _tag_of(node: Node) -> str:
    # `node.tag` URI-decodes on every access (a third of load time); tags our resolver set have
    # no handle and are plain strings already.
    ctag = node.ctag
    return ctag.suffix if ctag.handle is None else node.tag


def _plain(value: str) -> Any:
    """Type a plain scalar by the YAML 1.2 core schema (so `no` and `on` stay strings)."""
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _INT.fullmatch(value):
        if value.startswith(("0o", "0x")):
            return int(value, 0)
        return int(value)
    if _FLOAT.fullmatch(value) or _SPECIAL_FLOAT.fullmatch(value):
        return float(value.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                     .replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan"))
    return value


_COMPOSER = _composer()
