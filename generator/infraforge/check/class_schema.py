"""The schema nodes the class key (class_key.py) walks with a document.

Each node says which strings it lets pass whatever they say (class_strings.py). A node is also
walked into, to judge the keys and items of a mapping or list, when it is transparent: every
keyword in it is `type`, one that judges objects by their keys or arrays by their length
(`properties`, `additionalProperties`, `required`, `min/maxProperties`, `items` as one schema,
`min/maxItems`, `uniqueItems: false`) or an annotation (`description`, `default`, `x-...`,
which kubeconform's validator ignores; `x-kubernetes-int-or-string` is kept out all the same).
Under any other keyword (enum, const, allOf/anyOf/oneOf/not, $ref, patternProperties,
uniqueItems, if/then ...) a mapping or list is kept verbatim. Nodes are compiled when a
document first reaches them.
"""

from __future__ import annotations

from typing import Any

from infraforge.check.class_strings import ALWAYS, string_rule

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
    """A schema node: whether a string passes it (class_strings.py), and, when the node is
    transparent, the nodes of its properties and items, compiled when first met."""

    __slots__ = ("_items", "blank", "children", "passes", "schema", "walkable")

    def __init__(self, schema: dict[str, Any]):
        self.schema = schema
        self.walkable = transparent(schema)
        rule = string_rule(schema)
        self.blank = rule is ALWAYS  # the fast path: every string passes
        self.passes = None if rule is None or rule is ALWAYS else rule
        self.children: dict[str, Node | None] = {}
        self._items: list[Node | None] = []

    def accepts(self, text: str) -> bool:
        """Whether `text` is known to pass this node (else it is kept in the key)."""
        return self.blank or (self.passes is not None and self.passes(text))

    def child(self, key: str) -> Node | None:
        found = self.children.get(key, self)
        if found is self:
            properties = self.schema.get("properties") or {}
            extra = self.schema.get("additionalProperties", True)
            sub = properties.get(key, {} if extra is True else extra)
            found = self.children[key] = compile_node(sub) if self.walkable else None
        return found

    def item(self) -> Node | None:
        if not self._items:
            self._items.append(compile_node(self.schema.get("items", {}))
                               if self.walkable else None)
        return self._items[0]


def compile_node(schema: Any) -> Node | None:
    """The node that judges a place (None: keep it verbatim)."""
    return Node(schema) if isinstance(schema, dict) else None


def root_node(schema: Any) -> Node | None:
    node = compile_node(schema)
    if node is not None:
        node.children.update(dict.fromkeys(_VERBATIM))
    return node
