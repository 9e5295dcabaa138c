"""Semantic comparison of two rendered trees: objects matched by identity, not by line.

Files with equal bytes are skipped outright, and documents with equal text inside a changed
file cancel out, so only what really differs is identified and matched: by identity first
(a different file means the object moved), then by `renames` among what is left.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from infraforge.diff.documents import (
    YAML_SUFFIXES,
    Document,
    Identity,
    Location,
    locate,
    split_documents,
)
from infraforge.diff.renames import pair_renames
from infraforge.diff.textdiff import added_diff, change_diff

ADDED, CHANGED, MOVED, RENAMED, REMOVED = "added", "changed", "moved", "renamed", "removed"
ACTION_ORDER = {ADDED: 0, CHANGED: 1, MOVED: 2, RENAMED: 3, REMOVED: 4}


@dataclass(frozen=True)
class ObjectChange:
    """One object that differs; `file` is where it is now (where it was, when removed)."""

    action: str
    identity: Identity
    file: str
    previous: Identity | None = None   # renamed: the old identity
    previous_file: str | None = None   # moved or renamed across files: the old file
    diff: str = ""                     # +/- lines: the body when added, the change otherwise

    @property
    def location(self) -> Location:
        return locate(self.file)

    def sort_key(self) -> tuple[Location, int, Identity]:
        return self.location, ACTION_ORDER[self.action], self.identity


@dataclass(frozen=True)
class TreeComparison:
    objects: tuple[ObjectChange, ...]
    other_files: tuple[tuple[str, str], ...]  # (added|changed|removed, path): README.md & co.


def compare_trees(base: Mapping[str, bytes], head: Mapping[str, bytes],
                  canonical: bool = True) -> TreeComparison:
    """`canonical`: both trees were written by this emitter, so equal text = equal object."""
    removed: list[Document] = []
    added: list[Document] = []
    other: list[tuple[str, str]] = []
    for path in sorted(p for p in base.keys() | head.keys() if base.get(p) != head.get(p)):
        if not path.endswith(YAML_SUFFIXES):
            other.append((_file_action(path, base, head), path))
            continue
        old = Counter(split_documents(base.get(path, b"")))
        new = Counter(split_documents(head.get(path, b"")))
        removed += [Document(path, text) for text in (old - new).elements()]
        added += [Document(path, text) for text in (new - old).elements()]
    changes = sorted(_pair(removed, added, canonical), key=ObjectChange.sort_key)
    return TreeComparison(tuple(changes), tuple(other))


def _file_action(path: str, base: Mapping[str, bytes], head: Mapping[str, bytes]) -> str:
    return ADDED if path not in base else REMOVED if path not in head else CHANGED


def _pair(removed: list[Document], added: list[Document], canonical: bool) -> list[ObjectChange]:
    waiting: dict[Identity, list[Document]] = defaultdict(list)
    for doc in removed:
        waiting[doc.identity].append(doc)
    changes: list[ObjectChange] = []
    unmatched: list[Document] = []
    for doc in added:
        candidates = waiting.get(doc.identity)
        if not candidates:
            unmatched.append(doc)
            continue
        change = _matched(candidates.pop(0), doc, canonical)
        if change is not None:
            changes.append(change)
    left = [doc for docs in waiting.values() for doc in docs]
    renamed, gone, new = pair_renames(left, unmatched)
    changes += [_renamed(old, doc, canonical) for old, doc in renamed]
    changes += [ObjectChange(REMOVED, doc.identity, doc.file) for doc in gone]
    changes += [ObjectChange(ADDED, doc.identity, doc.file, diff=added_diff(doc)) for doc in new]
    return changes


def _matched(old: Document, new: Document, canonical: bool) -> ObjectChange | None:
    same = old.text == new.text or (not canonical and old.body == new.body)
    moved = old.file != new.file
    if same and not moved:
        return None
    diff = "" if same else change_diff(old, new, canonical)
    return ObjectChange(MOVED if moved else CHANGED, new.identity, new.file,
                        previous_file=old.file if moved else None, diff=diff)


def _renamed(old: Document, new: Document, canonical: bool) -> ObjectChange:
    return ObjectChange(RENAMED, new.identity, new.file, previous=old.identity,
                        previous_file=old.file if old.file != new.file else None,
                        diff=change_diff(old, new, canonical))
