"""Secret-like values never reach a diff, a PR comment or a CI log.

Redacted: every value of a `Secret`'s `data`/`stringData`, the `value` of any name/value pair
whose name looks like a secret (container env), and any string shaped like a credential
(secret_patterns.py, shared with the catalog check and the policy rule). A change is still
visible: the new side says the hidden value changed, without showing either value.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from infraforge.emit.yaml import dump_document
from infraforge.secret_patterns import SECRET_NAME, looks_like_credential, may_hold_credential

REDACTED = "(redacted)"
REDACTED_CHANGED = "(redacted; changed)"
SECRET_KINDS = frozenset({"Secret"})
_SECRET_KIND_LINE = re.compile(r"^kind: Secret\s*$", re.MULTILINE)
_ENV_NAME = re.compile(r"^ *- name: \"?([^\n\"]*)\"?\n +value: ", re.MULTILINE)

Path = tuple[str | int, ...]


def needs_redaction(text: str) -> bool:
    """A cheap test on the text; only documents that pass it are parsed and masked."""
    if "kind: Secret" in text and _SECRET_KIND_LINE.search(text):
        return True
    if may_hold_credential(text):
        return True
    return "value: " in text and any(SECRET_NAME.search(n) for n in _ENV_NAME.findall(text))


def redacted_texts(old: Any, new: Any) -> tuple[str, str]:
    """Both sides of a changed object as YAML with the same secret paths masked."""
    paths = secret_paths(old) | secret_paths(new)
    return _dump(_mask(old, paths, None)), _dump(_mask(new, paths, old))


def redacted_text(body: Any) -> str:
    return _dump(_mask(body, secret_paths(body), None))


def secret_paths(body: Any) -> set[Path]:
    found: set[Path] = set()
    if not isinstance(body, dict):
        return found
    if body.get("kind") in SECRET_KINDS:
        for field in ("data", "stringData"):
            if isinstance(body.get(field), dict):
                found.update((field, key) for key in body[field])
    _walk(body, (), found)
    return found


def _walk(node: Any, path: Path, found: set[Path]) -> None:
    if isinstance(node, dict):
        name, value = node.get("name"), node.get("value")
        if isinstance(name, str) and isinstance(value, str) and SECRET_NAME.search(name):
            found.add((*path, "value"))
        for key, child in node.items():
            _walk(child, (*path, key), found)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            _walk(child, (*path, index), found)
    elif isinstance(node, str) and looks_like_credential(node):
        found.add(path)


def _mask(body: Any, paths: set[Path], before: Any) -> Any:
    """A copy of `body` with every path in `paths` masked; `before` marks values that changed."""
    if body is None or not paths:
        return body
    masked = copy.deepcopy(body)
    for path in paths:
        parent, ok = _parent(masked, path)
        if not ok:
            continue
        changed = before is not None and _get(before, path) != _get(body, path)
        parent[path[-1]] = REDACTED_CHANGED if changed else REDACTED
    return masked


def _parent(node: Any, path: Path) -> tuple[Any, bool]:
    for key in path[:-1]:
        node = _child(node, key)
    return node, _child(node, path[-1]) is not _MISSING


def _get(node: Any, path: Path) -> Any:
    for key in path:
        node = _child(node, key)
    return node


_MISSING = object()


def _child(node: Any, key: str | int) -> Any:
    if isinstance(node, dict) and isinstance(key, str):
        return node.get(key, _MISSING)
    if isinstance(node, list) and isinstance(key, int) and key < len(node):
        return node[key]
    return _MISSING


def _dump(body: Any) -> str:
    return dump_document(body) if isinstance(body, dict) else f"{body!r}\n"
