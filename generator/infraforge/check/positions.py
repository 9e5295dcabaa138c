"""Find line:col of a field inside one rendered document, for the documents that need it.

The fast reader keeps no positions; when a check reports a field (`/spec/replicas`), the
document's text is composed again by ruamel's C composer, which keeps marks, and walked down.
"""

from __future__ import annotations

from collections.abc import Sequence

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

FieldPath = Sequence[str | int]


def _compose(text: str) -> Node | None:
    try:
        return YAML(typ="safe", pure=False).compose(text)
    except YAMLError:
        return None


def locate(text: str, path: FieldPath) -> tuple[int, int] | None:
    """(line, col), 1-based within `text`, of the deepest node of `path` that exists.

    A mapping entry is shown at its key, a list item at its value.
    """
    node = _compose(text)
    if node is None:
        return None
    mark = node.start_mark
    for step in path:
        found = _child(node, step)
        if found is None:
            break
        mark, node = found
    return mark.line + 1, mark.column + 1


def _child(node: Node, step: str | int):  # -> (mark, child node) or None
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == str(step):
                return key.start_mark, value
    elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        item = node.value[step]
        return item.start_mark, item
    return None


def find_duplicate_key(text: str) -> tuple[str, int, int, int] | None:
    """The first repeated key: (key, line, col, line of its first occurrence), 1-based."""
    root = _compose(text)
    stack = [root] if root is not None else []
    while stack:  # depth first, in document order
        node = stack.pop()
        if isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key, _ in node.value:
                name = key.value if isinstance(key, ScalarNode) else repr(key.value)
                if name in seen:
                    return name, key.start_mark.line + 1, key.start_mark.column + 1, seen[name]
                seen[name] = key.start_mark.line + 1
            stack.extend(value for _, value in reversed(node.value))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return None
