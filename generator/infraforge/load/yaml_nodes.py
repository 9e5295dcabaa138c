"""From composed YAML nodes to plain data, under the catalog's limits.

ruamel's C composer builds the node tree; this module types every scalar by the YAML 1.2 core
schema itself (ruamel's resolver costs half of composing) and refuses what a catalog must not
contain: tags outside the core schema, aliases, merge keys, non-string or duplicate keys,
over-deep nesting and oversized scalars. Each refusal names the node, so it has a position.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from infraforge.errors import Position
from infraforge.load.plain import MAX_DEPTH, MAX_SCALAR_CHARS, Path, resolve_plain

# Plain scalars are typed by `resolve_plain` below, not by ruamel's resolver (which costs about half of
# composing); the resolver only marks them with this private tag.
_PLAIN = "tag:infraforge,plain"
_CORE_TAGS = {
    _PLAIN, "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}



class Rejected(Exception):
    """A node the catalog may not contain: rule, message, the node (for its position), hint."""

    def __init__(self, rule: str, message: str, node: Node | None, hint: str = ""):
        super().__init__(message)
        self.rule, self.message, self.node, self.hint = rule, message, node, hint


class _TagOnlyResolver(VersionedResolver):
    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is SequenceNode else "tag:yaml.org,2002:map"


def composer() -> YAML:
    yaml = YAML(typ="safe", pure=False)
    yaml.version = (1, 2)
    yaml.Resolver = _TagOnlyResolver
    return yaml


class Converter:
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
            raise Rejected("YAML-ALIAS", "aliases (*name) are not allowed in the catalog", node,
                          "repeat the value instead; aliases are how alias bombs are built")
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            raise Rejected("YAML-TOO-DEEP", f"nesting deeper than {MAX_DEPTH} levels", node)
        _check_tag(node)
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
                raise Rejected("YAML-TAG", "merge keys (<<) are not allowed", key_node,
                              "write the keys out; merges hide where a value comes from")
            _check_tag(key_node)  # keys are not converted: their tags are checked here
            if not isinstance(key_node, ScalarNode) or not isinstance(_scalar(key_node), str):
                raise Rejected("YAML-KEY-TYPE", "mapping keys must be strings", key_node,
                              "quote the key")
            key = key_node.value
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                raise Rejected("YAML-DUPLICATE-KEY", f"duplicate key {key!r} (first set on line "
                              f"{line})", key_node, "remove one of the two")
            first_seen[key] = key_node
            result[key] = self.convert(value_node, (*path, key), depth + 1)
            self.key_positions[(*path, key)] = self.pos(key_node)
        return result


def _check_tag(node: Node) -> None:
    if _tag_of(node) not in _CORE_TAGS:
        raise Rejected("YAML-TAG", f"tag {node.tag!r} is not allowed", node,
                      "only plain YAML 1.2 values (strings, numbers, booleans, null, maps, "
                      "lists) are accepted")


def _scalar(node: ScalarNode) -> Any:
    value: str = node.value
    if len(value) > MAX_SCALAR_CHARS:
        raise Rejected("YAML-TOO-LARGE", f"value is {len(value)} characters, the limit is "
                      f"{MAX_SCALAR_CHARS}", node)
    tag = _tag_of(node)
    if tag == _PLAIN:
        return resolve_plain(value)
    if tag == "tag:yaml.org,2002:str":
        return value
    # An explicit !!int, !!float, !!bool or !!null must also be spelt as one.
    name = tag.rsplit(":", 1)[-1]
    typed = resolve_plain(value)
    expected = {"int": (int,), "float": (float, int), "bool": (bool,), "null": (type(None),)}
    if type(typed) not in expected[name]:
        raise Rejected("YAML-TAG", f"{value!r} is not a valid {name}", node)
    return float(typed) if name == "float" else typed


def _tag_of(node: Node) -> str:
    # `node.tag` URI-decodes on every access (a third of load time); tags our resolver set have
    # no handle and are plain strings already.
    ctag = node.ctag
    return ctag.suffix if ctag.handle is None else node.tag
