"""The walk over a document in Python: block style, 2-space indentation, sequences indented
under their key.

Why not ruamel.yaml or PyYAML's dumper: emitting is on the render hot path (tens of thousands of
documents per run) and the general-purpose dumpers are 8-28x too slow for it, because they build
an event/node graph and re-analyse every scalar. The data we emit is far narrower -- plain
JSON-like values -- so a direct recursive writer is enough.

emit/walker.c is the same walk in C, which emit/yaml.py uses when it is built (`make native`);
this one runs without a compiler and is what tests/test_native.py holds the C walk to. How each
key and scalar is written, both take from emit/scalars.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from infraforge.emit.scalars import (
    LAYOUT_CACHE,
    VALUE_CACHE,
    as_document,
    coerce,
    layout_miss,
    scalar_text,
)

__all__ = ["dump_document", "dump_documents"]

# Indentation strings, prebuilt because every mapping needs one.
_MAX_PAD = 64
_PADS = tuple(" " * n for n in range(_MAX_PAD))


def dump_document(obj: Mapping[str, Any]) -> str:
    """Render one mapping as a YAML document ending in a newline, without a leading '---'."""
    document = as_document(obj)
    if not document:
        return "{}\n"
    out: list[str] = []
    _emit_mapping(document, 0, "", out)
    return "".join(out)


def dump_documents(objs: Iterable[Mapping[str, Any]]) -> str:
    """Render a multi-document stream: '---' between documents, '' for no documents."""
    return "---\n".join(map(dump_document, objs))


def _emit_mapping(d: dict[str, Any], indent: int, lead: str, out: list[str]) -> None:
    """Emit `d` at `indent`; `lead` replaces the first line's indentation (for `- key: v`)."""
    pad = _PADS[indent] if indent < _MAX_PAD else " " * indent
    child = indent + 2
    # Generated manifests reuse a few key layouts, so order and rendered keys are memoised.
    layout: tuple[str, ...] = tuple(d)
    for k, kt in LAYOUT_CACHE.get(layout) or layout_miss(layout, pad):
        v = d[k]
        t = type(v)
        # Fast paths for the overwhelmingly common cases; the rest go through _emit_value.
        if t is str and (text := VALUE_CACHE.get(v)) is not None:
            out.append(f"{lead}{kt}{text}")
        elif t is dict and v:
            out.append(f"{lead}{kt}\n")
            _emit_mapping(v, child, _PADS[child] if child < _MAX_PAD else " " * child, out)
        elif t is int:
            out.append(f"{lead}{kt} {v}\n")
        else:
            _emit_value(f"{lead}{kt}", v, child, out, False)
        lead = pad


def _emit_sequence(
    seq: list[Any] | tuple[Any, ...], indent: int, lead: str, out: list[str]
) -> None:
    """Emit `seq` with its dashes at `indent`; `lead` replaces the first line's indentation."""
    pad = _PADS[indent] if indent < _MAX_PAD else " " * indent
    child = indent + 2
    for v in seq:
        t = type(v)
        if t is str and (text := VALUE_CACHE.get(v)) is not None:
            out.append(f"{lead}-{text}")
        elif t is dict and v:
            _emit_mapping(v, child, lead + "- ", out)
        else:
            # Items are compact: a mapping or list starts on the dash's own line.
            _emit_value(lead + "-", v, child, out, True)
        lead = pad


def _emit_value(head: str, v: Any, child: int, out: list[str], compact: bool) -> None:
    """Emit `v` after `head` ("<indent>key:" or "<indent>-"); nested content goes at `child`."""
    t = type(v)
    if t is dict or t is list or t is tuple:
        if not v:
            out.append(f"{head} {{}}\n" if t is dict else f"{head} []\n")
            return
        if compact:
            lead = head + " "
        else:
            out.append(head + "\n")
            lead = " " * child
        if t is dict:
            _emit_mapping(v, child, lead, out)
        else:
            _emit_sequence(v, child, lead, out)
    elif t is str or t is float:  # the text walker.c asks for too
        out.append(head + scalar_text(v, child))
    elif t is bool:
        out.append(f"{head} true\n" if v else f"{head} false\n")
    elif t is int:
        out.append(f"{head} {v}\n")
    elif v is None:
        out.append(f"{head} null\n")
    else:
        _emit_value(head, coerce(v), child, out, compact)
