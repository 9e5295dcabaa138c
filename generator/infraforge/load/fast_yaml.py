"""The catalog's fast path: yaml-rs reads a file when it provably agrees with the full reader.

The full reader (`yaml_source`) composes with ruamel's C composer and types every node in
Python: about 0.35 ms a file, where yaml-rs (Rust) takes 0.02 ms. The two parsers differ at the
edges, so yaml-rs only gets a text in which none of their differences can occur (`fast_guards`),
and its result is only taken when the walk over it finds nothing the full reader would refuse.
Anything else returns None and the full reader reads the file, diagnostics and all. Soundness
is checked by differential tests (tests/test_fast_yaml.py) over fixtures and generated texts.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

import yaml_rs

from infraforge.load.fast_guards import guarded
from infraforge.load.plain import MAX_DEPTH, MAX_SCALAR_CHARS, resolve_plain
from infraforge.load.yaml_source import might_be_deep

_DOCUMENT_START = re.compile(r"^---(?=[ \n]|\Z)", re.MULTILINE)
_BLANK_OR_COMMENTS = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*[ ]*(?:#[^\n]*)?")
# Only an empty string, one of these words or one starting with one of these can be `_unsure`.
_TYPED_WORDS = frozenset(["~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False",
                          "FALSE"])
_UNSURE_START = frozenset("+-.0123456789\n")
_SCALARS = frozenset({int, float, bool, type(None)})


def plain_documents(text: str) -> list[Any] | None:
    """Each document's data exactly as the full reader would give it, or None if not provable.

    `text` must have passed `yaml_source.decode`'s file-level checks.
    """
    # Only a text longer than the scalar limit can hold a scalar over it: leave those to the
    # full reader, which says where. Without a final line break yaml-rs adds one to a block
    # scalar ending the text, libyaml does not.
    if len(text) > MAX_SCALAR_CHARS or not text.endswith("\n") or guarded(text) \
            or might_be_deep(text):
        return None
    documents = []
    for chunk in _documents(text):
        try:
            data = yaml_rs.loads(chunk, parse_datetime=False,
                                 duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
        except Exception:  # noqa: BLE001 - any failure: the full reader finds and reports it
            return None
        if type(data) is not dict or not _acceptable(data, 0):
            return None
        documents.append(data)
    return documents


def _documents(text: str) -> list[str]:
    """The text of each document: split at `---` lines, leading comments and blanks dropped.

    Each chunk holds one document, so yaml-rs's list for a stream never meets a list document.
    A `---` line inside a scalar would leave an unfinished chunk that yaml-rs refuses.
    """
    if "---" not in text:
        return [text]
    starts = [found.start() for found in _DOCUMENT_START.finditer(text)]
    bounds = [0, *starts, len(text)]
    chunks = [text[start:end] for start, end in pairwise(bounds)]
    if starts and _BLANK_OR_COMMENTS.fullmatch(chunks[0]):
        chunks = chunks[1:]
    return chunks


def _acceptable(node: dict[Any, Any] | list[Any], depth: int) -> bool:
    """Whether the full reader would take this collection, `depth` levels down, as it is.

    Its limits (scalar length needs no check: the text is shorter) and its typing. The loops are
    inlined because this walk visits every value of the catalog.
    """
    if node and depth >= MAX_DEPTH:  # the items would be deeper than the full reader allows
        return False
    if type(node) is dict:
        for key in node:
            if type(key) is not str or not key or key in _TYPED_WORDS or (
                    key[0] in _UNSURE_START and _unsure(key)):
                return False
        items = node.values()
    else:
        items = node
    for item in items:
        kind = type(item)
        if kind is str:
            if not item or item in _TYPED_WORDS or (item[0] in _UNSURE_START and _unsure(item)):
                return False
        elif kind is dict or kind is list:
            if not _acceptable(item, depth + 1):
                return False
        elif kind not in _SCALARS:
            return False
    return True


def _unsure(value: str) -> bool:
    """Whether a string from yaml-rs could differ from the full reader's value for that node.

    The core schema types some strings if written plain (`8080`, ``, `true`, `~`): yaml-rs does
    not say whether such a string was quoted, the full reader knows (and refuses such a key
    unless it was quoted). An empty block scalar at the end of a document is `\\n` to yaml-rs
    and empty to libyaml, so strings of line breaks alone are unsure as well.
    """
    return not value.strip("\n") or type(resolve_plain(value)) is not str
