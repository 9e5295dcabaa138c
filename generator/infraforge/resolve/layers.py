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

    def lookup(self, path: tuple[str, ...]) -> Lookup:
        """Does this layer set `path`? Named-list items are addressed by their `name`, as users
        write them in `explain`. The position is found only if asked for."""
        value: Any = self.data
        doc_path: Path = self.doc_path
        for key in path:
            if isinstance(value, dict) and value.get(PATCH) in ("replace", "delete"):
                return Lookup(True, None, value[PATCH], self, doc_path)
            value, doc_path = _step(value, key, doc_path)
            if value is _MISSING:
                return Lookup(False, None, "", self, doc_path)
        marker = value.get(PATCH, "") if isinstance(value, dict) else ""
        return Lookup(True, value, marker, self, doc_path)

    def sets(self, path: tuple[str, ...]) -> bool:
        return self.lookup(path).found

    def position_of(self, path: Path) -> Position:
        if self.doc is None:
            return Position(self.source)
        return self.doc.position(path)


@dataclass(frozen=True)
class Lookup:
    """What a layer says about a path: whether it sets it, the value and any $patch marker."""

    found: bool
    value: Any
    marker: str
    layer: Layer
    doc_path: Path

    @property
    def position(self) -> Position:
        # Positions of a cached document cost a re-parse: only when someone reports them.
        return self.layer.position_of(self.doc_path)


def where_set(layers: tuple[Layer, ...], path: tuple[str, ...], fallback: Position) -> Position:
    """Where the last layer that sets `path` sets it (the value that won the merge)."""
    for layer in reversed(layers):
        found = layer.lookup(path)
        if found.found:
            return found.position
    return fallback


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
