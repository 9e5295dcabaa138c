"""A document's class key: what kubeconform's verdict on it can depend on.

Walking the document and its schema together, a string is blanked where the schema node that
judges it accepts every string: a node made only of `type` (absent, `string`, or a list holding
it), keywords that judge objects by their keys or arrays by their length (`properties`,
`additionalProperties`, `required`, `min/maxProperties`, `items` as one schema, `min/maxItems`,
`uniqueItems: false`) and annotations (`description`, `default`, `x-...`, which kubeconform's
validator ignores). Everything else is kept verbatim: keys, numbers, bools, nulls, `apiVersion`,
`kind`, and every string under a node with any other keyword (pattern, format, enum, const,
lengths, allOf/anyOf/oneOf/not, $ref, patternProperties, uniqueItems, x-kubernetes-int-or-string
...). Without combinators or references each place in a document is judged by exactly one node,
so two documents with the same key get the same verdict from a draft-4 validator.

The key is a flat tuple of tokens: strings (keys, kept strings), sentinels for structure and
blanks, and (type, value) pairs for other scalars, so that `1`, `1.0` and `true` stay apart.
A document holding a string kubeconform might read as another type gets no key (`None`).
"""

from __future__ import annotations

import math
from typing import Any

from infraforge.check.go_yaml import AMBIGUITY, ambiguous

_ANNOTATIONS = frozenset({"description", "title", "default", "example", "examples", "$schema",
                          "$comment", "nullable", "readOnly", "writeOnly", "deprecated"})
_BY_KEYS_OR_LENGTH = frozenset({"type", "required", "minProperties", "maxProperties",
                                "minItems", "maxItems"})
_VERBATIM = ("apiVersion", "kind")


class _Token:
    """Structure and blanks in a key: equal only to themselves, never to a string."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


BLANK, OPEN, LIST, CLOSE = _Token("BLANK"), _Token("OPEN"), _Token("LIST"), _Token("CLOSE")


class Ambiguous(Exception):
    """The document holds a string that kubeconform may read as a bool, number or date."""


def transparent(schema: Any) -> bool:
    """Whether every keyword of `schema` is one the walk understands (see the module doc)."""
    if not isinstance(schema, dict):
        return False
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS or keyword in _BY_KEYS_OR_LENGTH:
            continue
        if keyword.startswith("x-") and keyword != "x-kubernetes-int-or-string":
            continue
        if (keyword == "properties" and isinstance(value, dict)) \
                or (keyword == "additionalProperties" and isinstance(value, bool | dict)) \
                or (keyword == "items" and isinstance(value, dict)) \
                or (keyword == "uniqueItems" and value is False):
            continue
        return False
    return True


class Node:
    """A transparent schema node; its children are compiled when first met."""

    __slots__ = ("_items", "blank", "children", "schema")

    def __init__(self, schema: dict[str, Any]):
        self.schema = schema
        kind = schema.get("type")
        self.blank = kind is None or kind == "string" or (isinstance(kind, list)
                                                           and "string" in kind)
        self.children: dict[str, Node | None] = {}
        self._items: list[Node | None] = []

    def child(self, key: str) -> Node | None:
        found = self.children.get(key, self)
        if found is self:
            properties = self.schema.get("properties") or {}
            extra = self.schema.get("additionalProperties", True)
            sub = properties.get(key, {} if extra is True else extra)
            found = self.children[key] = compile_node(sub)
        return found

    def item(self) -> Node | None:
        if not self._items:
            self._items.append(compile_node(self.schema.get("items", {})))
        return self._items[0]


def compile_node(schema: Any) -> Node | None:
    """The node that judges a place, or None when the walk must keep it verbatim."""
    return Node(schema) if transparent(schema) else None


def root_node(schema: Any) -> Node | None:
    node = compile_node(schema)
    if node is not None:
        node.children.update(dict.fromkeys(_VERBATIM))
    return node


def class_key(body: dict[str, Any], root: Node | None) -> tuple | None:
    out: list[Any] = []
    try:
        _encode(body, root, out)
    except Ambiguous:
        return None
    return tuple(out)


def _encode(value: Any, node: Node | None, out: list[Any]) -> None:
    kind = type(value)
    if kind is dict:
        _encode_mapping(value, node, out)
    elif kind is list:
        out.append(LIST)
        item = node.item() if node is not None else None
        for sub in value:
            _encode(sub, item, out)
        out.append(CLOSE)
    else:
        _encode_scalar(value, kind, node is not None and node.blank, out)


def _encode_mapping(value: dict[str, Any], node: Node | None, out: list[Any]) -> None:
    """The hot loop (millions of entries in a large tree): scalars and lookups inlined."""
    out.append(OPEN)
    children = node.children if node is not None else None
    for key, sub in value.items():
        if type(key) is not str or (AMBIGUITY.get(key, True) and ambiguous(key)):
            raise Ambiguous  # go-yaml would turn a non-string key into a string
        out.append(key)
        child = None
        if children is not None:
            child = children.get(key, node)
            if child is node:
                child = node.child(key)
        kind = type(sub)
        if kind is str:
            if AMBIGUITY.get(sub, True) and ambiguous(sub):
                raise Ambiguous
            out.append(BLANK if child is not None and child.blank else sub)
        elif kind is dict or kind is list:
            _encode(sub, child, out)
        else:
            _encode_scalar(sub, kind, False, out)
    out.append(CLOSE)


def _encode_scalar(value: Any, kind: type, blank: bool, out: list[Any]) -> None:
    if kind is str:
        if ambiguous(value):
            raise Ambiguous
        out.append(BLANK if blank else value)
    elif kind is float and not math.isfinite(value):
        raise Ambiguous  # JSON has no such number; how kubeconform fares is its own
    else:
        out.extend((kind, value))
