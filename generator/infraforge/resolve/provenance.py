"""Provenance: which layers set a resolved value, in merge order, with their file:line.

Computed on demand from the layers a unit keeps, so resolving thousands of units pays nothing for
it; `infraforge explain` is the caller.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from infraforge.errors import Position
from infraforge.resolve.layers import Layer
from infraforge.resolve.merge import is_named_list


@dataclass(frozen=True)
class Step:
    """One layer's contribution to a value: what it set there, and where."""

    source: str
    position: Position
    value: Any
    marker: str  # "", "replace" or "delete"


def trace(layers: tuple[Layer, ...], path: tuple[str, ...]) -> list[Step]:
    steps = []
    for layer in layers:
        found = layer.lookup(path)
        if found.found:
            steps.append(Step(layer.source, found.position, found.value, found.marker))
    return steps


def value_at(data: Any, path: tuple[str, ...]) -> tuple[bool, Any, tuple[str, ...]]:
    """Walk `path` into resolved data; returns (found, value, deepest path that exists)."""
    current = data
    for depth, key in enumerate(path):
        if isinstance(current, dict) and key in current:
            current = current[key]
        elif is_named_list(current) and any(item["name"] == key for item in current):
            current = next(item for item in current if item["name"] == key)
        else:
            return False, current, path[:depth]
    return True, current, path


def suggest_key(container: Any, key: str) -> str:
    if isinstance(container, dict):
        options = list(container)
    elif is_named_list(container):
        options = [item["name"] for item in container]
    else:
        return ""
    close = difflib.get_close_matches(key, options, n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}?" if close else f"available: {', '.join(sorted(options))}"
