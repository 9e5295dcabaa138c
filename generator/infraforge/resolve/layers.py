"""A layer is one source's contribution to a merge, remembering where in which file it sits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infraforge.errors import Position
from infraforge.load.yaml_source import YamlDocument
from infraforge.resolve.merge import PATCH, is_named_list

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Layer:
    """`data` is the mapping this layer merges; `doc_path` is where it sits inside `doc`."""

    source: str
    data: dict
    doc: YamlDocument | None = None
    doc_path: Path = ()

    def subtree(self, key: str) -> Layer:
        value = self.data.get(key)
        return Layer(self.source, value if isinstance(value, dict) else {}, self.doc,
                     (*self.doc_path, key))

    def lookup(self, path: tuple[str, ...]) -> tuple[bool, Any, Position, str]:
        """Does this layer set `path`? Returns (found, value, position, marker).

        Named-list items are addressed by their `name`, as users write them in `explain`.
        """
        value: Any = self.data
        doc_path: Path = self.doc_path
        for key in path:
            if isinstance(value, dict) and value.get(PATCH) in ("replace", "delete"):
                return True, None, self._position(doc_path), value[PATCH]
            value, doc_path = _step(value, key, doc_path)
            if value is _MISSING:
                return False, None, self._position(doc_path), ""
        marker = value.get(PATCH, "") if isinstance(value, dict) else ""
        return True, value, self._position(doc_path), marker

    def _position(self, path: Path) -> Position:
        if self.doc is None:
            return Position(self.source)
        return self.doc.position(path)


_MISSING = object()


def _step(value: Any, key: str, doc_path: Path) -> tuple[Any, Path]:
    if isinstance(value, dict):
        return (value[key], (*doc_path, key)) if key in value else (_MISSING, doc_path)
    if is_named_list(value):
        for index, item in enumerate(value):
            if item["name"] == key:
                return item, (*doc_path, index)
    if isinstance(value, list) and key.isdigit() and int(key) < len(value):
        return value[int(key)], (*doc_path, int(key))
    return _MISSING, doc_path
