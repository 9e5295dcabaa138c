"""A document's class key: what kubeconform's verdict on it can depend on.

Walking the document and its schema together, a string is blanked where the schema node that
judges it is known to let it pass (class_schema.py, class_strings.py); everything else is kept
verbatim: keys, numbers, bools, nulls, `apiVersion`, `kind`, every other string, and mappings
and lists under a node the walk does not enter. Outside combinators and references each place
in a document is judged by exactly one node, and where a combinator judges a string the whole
verdict is decided, so two documents with the same key get the same verdict from kubeconform.

The key is a flat tuple of tokens: strings (keys, kept strings), sentinels for structure and
blanks, and (type, value) pairs for other scalars, so that `1`, `1.0` and `true` stay apart.
A document holding a string kubeconform might read as another type gets no key (`None`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from infraforge.check.class_schema import Node
from infraforge.check.go_yaml import AMBIGUITY, ambiguous

_UNSEEN = object()
_NO_CHILDREN: dict[str, None] = {}


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
        _encode_list(value, node, out)
    else:
        _encode_scalar(value, kind, node.accepts if node is not None else None, out)


def _encode_list(value: list[Any], node: Node | None, out: list[Any]) -> None:
    out.append(LIST)
    item = node.item() if node is not None else None
    for sub in value:
        if type(sub) is dict:
            _encode_mapping(sub, item, out)
        else:
            _encode(sub, item, out)
    out.append(CLOSE)


def _encode_mapping(value: dict[str, Any], node: Node | None, out: list[Any]) -> None:
    """The hot loop (millions of entries in a large tree): scalars and lookups inlined. A key
    the schema node has met before was checked then."""
    append = out.append
    append(OPEN)
    children = node.children if node is not None else _NO_CHILDREN
    for key, sub in value.items():
        child = children.get(key, _UNSEEN)
        if child is _UNSEEN:
            if type(key) is not str or (AMBIGUITY.get(key, True) and ambiguous(key)):
                raise Ambiguous  # go-yaml would turn a non-string key into a string
            child = node.child(key) if node is not None else None
        append(key)
        kind = type(sub)
        if kind is str:
            if AMBIGUITY.get(sub, True) and ambiguous(sub):
                raise Ambiguous
            append(BLANK if child is not None and (child.blank or child.accepts(sub)) else sub)
        elif kind is dict:
            _encode_mapping(sub, child, out)
        elif kind is list:
            _encode_list(sub, child, out)
        else:
            _encode_scalar(sub, kind, None, out)
    append(CLOSE)


def _encode_scalar(value: Any, kind: type, accepts: Callable[[str], bool] | None,
                   out: list[Any]) -> None:
    if kind is str:
        if ambiguous(value):
            raise Ambiguous
        out.append(BLANK if accepts and accepts(value) else value)
    elif kind is float and not math.isfinite(value):
        raise Ambiguous  # JSON has no such number; how kubeconform fares is its own
    else:
        out.extend((kind, value))
