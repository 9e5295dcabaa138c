"""Canonical key order by moving whole blocks of lines, so comments travel with their keys.

ruamel attaches a full-line comment to the key *before* it; reordering its maps would carry a
heading comment away from the key it describes. Here a key's block is its lines plus the comment
and blank lines right above it; the document's leading and trailing comments stay in place.
Only the top level (apiVersion, kind, metadata, spec first) and metadata (name first) move.
"""

from __future__ import annotations

import re

from infraforge.fmt.comments import comment_only_lines
from infraforge.load.yaml_source import read_yaml_documents

TOP_LEVEL_ORDER = ("apiVersion", "kind", "metadata", "spec")
METADATA_ORDER = ("name",)
_MARKER = re.compile(r"^---[ \t]*\n", re.MULTILINE)


def order_keys(text: str) -> str:
    """Every document of `text` with its top-level and metadata keys in canonical order."""
    pieces = _MARKER.split(text)
    markers = _MARKER.findall(text)
    ordered = [_reorder(_reorder(piece, ()), ("metadata",)) for piece in pieces]
    return ordered[0] + "".join(m + p for m, p in zip(markers, ordered[1:], strict=True))


def _reorder(body: str, parent: tuple[str, ...]) -> str:
    documents, problems = read_yaml_documents(body.encode("utf-8"), "<fmt>")
    if problems or len(documents) != 1 or not isinstance(documents[0].data, dict):
        return body
    document = documents[0]
    mapping = document.data.get(parent[0]) if parent else document.data
    if not isinstance(mapping, dict) or not mapping:
        return body
    keys = list(mapping)
    first = METADATA_ORDER if parent else TOP_LEVEL_ORDER
    wanted = [k for k in first if k in mapping] + [k for k in keys if k not in first]
    starts = [document.key_position((*parent, key)).line - 1 for key in keys]
    if keys == wanted or starts != sorted(set(starts)):
        return body  # already canonical, or a flow mapping laid out on shared lines
    lines = body.splitlines(keepends=True)
    comments = comment_only_lines(body)
    end = _region_end(lines, comments, document, parent)
    heads = [_head(lines, comments, start) for start in starts]
    if not parent:
        heads[0] = starts[0]  # comments above the first top-level key describe the file
    blocks = dict(zip(keys, zip(heads, [*heads[1:], end], strict=True), strict=True))
    moved = "".join("".join(lines[a:b]) for a, b in (blocks[key] for key in wanted))
    return "".join(lines[:heads[0]]) + moved + "".join(lines[end:])


def _head(lines: list[str], comments: set[int], start: int) -> int:
    """Move up over the comment and blank lines that introduce the key on line `start`."""
    while start > 0 and (start - 1 in comments or not lines[start - 1].strip()):
        start -= 1
    return start


def _region_end(lines: list[str], comments: set[int], document, parent: tuple[str, ...]) -> int:
    """Where the last key's block ends: before the document's trailing comments, or at the
    start of the next top-level key's block for metadata's children."""
    if not parent:
        end = len(lines)
        while end > 0 and (not lines[end - 1].strip()
                           or (end - 1 in comments and not lines[end - 1][0].isspace())):
            end -= 1
        return end
    top = list(document.data)
    index = top.index(parent[0])
    if index + 1 == len(top):
        return _region_end(lines, comments, document, ())
    return _head(lines, comments, document.key_position((top[index + 1],)).line - 1)
