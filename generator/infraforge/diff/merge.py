"""Small structural helpers for the preview: template overrides and changed-field paths."""

from __future__ import annotations

from typing import Any


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` merged into `base` (maps recursively, everything else replaced), as ArgoCD
    merges a generator's own `template` into the ApplicationSet's."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def diff_paths(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the fields that differ; lists are compared whole."""
    if isinstance(old, dict) and isinstance(new, dict):
        paths: list[str] = []
        for key in sorted(old.keys() | new.keys(), key=str):
            if old.get(key) != new.get(key):
                paths += diff_paths(old.get(key), new.get(key), f"{prefix}{key}.")
        return paths
    return [] if old == new else [prefix.rstrip(".")]
