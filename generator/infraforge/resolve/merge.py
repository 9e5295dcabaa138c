"""The merge rules, built on deepmerge.

- mappings merge deeply;
- lists whose items are all mappings with a `name` merge item by item on `name`;
- other lists and scalars are replaced by the later layer;
- `$patch: replace` in a mapping replaces the earlier mapping instead of merging into it, and
  `$patch: delete` removes it (for a named list item: removes that item).

Layers are never modified. Each mapping the merge changes is copied at that level before it
changes (deepmerge would otherwise update its first argument in place), and values taken from
a layer are copied by `clean` as they land. So `merge_onto` shares with its base every subtree
no layer touches: a unit's settings share the environment's untouched defaults instead of
copying them (copying was two thirds of merging a unit, measured). The merged settings are
read-only by contract: rendering builds new objects from them and never changes them in place
(tests/test_merge_sharing.py checks that over a whole render).
"""

from __future__ import annotations

from typing import Any

from deepmerge import Merger

PATCH = "$patch"
REPLACE = "replace"
DELETE = "delete"


def is_named_list(value: Any) -> bool:
    return bool(value) and isinstance(value, list) and all(
        isinstance(item, dict) and isinstance(item.get("name"), str) for item in value)


def clean(value: Any) -> Any:
    """A layer's value as it lands in the result: markers dropped, deleted items gone."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if k != PATCH}
    if isinstance(value, list):
        return [clean(v) for v in value if not _marked(v, DELETE)]
    return value


def _marked(value: Any, marker: str) -> bool:
    return isinstance(value, dict) and value.get(PATCH) == marker


def _merge_dicts(merger: Merger, path: list, base: dict, nxt: dict) -> dict:
    if _marked(nxt, REPLACE):
        return clean(nxt)
    merged = dict(base)  # this level only: the subtrees `nxt` does not touch stay shared
    for key, value in nxt.items():
        if key == PATCH:
            continue
        if _marked(value, DELETE):
            merged.pop(key, None)
        elif key in merged:
            merged[key] = merger.value_strategy([*path, key], merged[key], value)
        else:
            merged[key] = clean(value)
    return merged


def _merge_named_lists(merger: Merger, path: list, base: list, nxt: list) -> list:
    if not (is_named_list(base) and is_named_list(nxt)):
        return clean(nxt)
    merged = {item["name"]: item for item in base}
    for item in nxt:
        name = item["name"]
        if _marked(item, DELETE):
            merged.pop(name, None)
        elif name in merged:
            merged[name] = merger.value_strategy([*path, name], merged[name], item)
        else:
            merged[name] = clean(item)
    return list(merged.values())


def _override(merger: Merger, path: list, base: Any, nxt: Any) -> Any:
    return clean(nxt)


_MERGER = Merger(
    [(dict, [_merge_dicts]), (list, [_merge_named_lists])],
    [_override],  # fallback: scalars and mixed types
    [_override],  # type conflicts: the later layer wins
)


def merge_layers(*layers: dict) -> dict:
    """Merge `layers` left to right into a new dict that shares nothing with them."""
    return merge_onto({}, *layers)


def merge_onto(base: dict, *layers: dict) -> dict:
    """`layers` merged left to right onto `base`, itself a merge result (no `$patch` markers
    left): the result shares with `base` every subtree no layer touches."""
    result = base
    for layer in layers:
        result = _MERGER.merge(result, layer)
    return result if result is not base else dict(base)
