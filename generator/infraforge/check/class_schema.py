"""Which schema nodes accept every string, for the class key (class_key.py).

A node is transparent when every keyword in it is one the walk understands: `type`, keywords
that judge objects by their keys or arrays by their length (`properties`,
`additionalProperties`, `required`, `min/maxProperties`, `items` as one schema,
`min/maxItems`, `uniqueItems: false`) and annotations (`description`, `default`, `x-...`,
which kubeconform's validator ignores; `x-kubernetes-int-or-string` is kept out all the same).
A transparent node whose `type` is absent, `string`, or a list holding it accepts every string.
Any other keyword (pattern, format, enum, const, lengths, allOf/anyOf/oneOf/not, $ref,
patternProperties, uniqueItems, if/then ...) makes the node opaque: what it judges is kept
verbatim. Nodes are compiled when a document first reaches them.
"""

from __future__ import annotations

from typing import Any

_ANNOTATIONS = frozenset({"description", "title", "default", "example", "examples", "$schema",
                          "$comment", "nullable", "readOnly", "writeOnly", "deprecated"})
_BY_KEYS_OR_LENGTH = frozenset({"type", "required", "minProperties", "maxProperties",
                                "minItems", "maxItems"})
_VERBATIM = ("apiVersion", "kind")


def transparent(schema: Any) -> bool:
    """Whether every keyword of `schema` is one the walk understands."""
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
