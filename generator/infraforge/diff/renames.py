"""Pair removed and added objects that are one object under a new name.

Only objects left unmatched by identity are considered, and only against objects of the same
environment and kind, so the work stays linear in practice:

1. exact: the two texts are equal once each side's own name, namespace and tenant are replaced
   by placeholders (a renamed service or a renamed tenant), found through a dictionary;
2. near-identical: same namespace too, and at least `SIMILARITY` of the lines equal once the
   names are replaced; tried only in small groups, so a mass change never goes quadratic.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable

from infraforge.diff.documents import Document

SIMILARITY = 0.9
MAX_GROUP = 400  # removed x added candidates per group for the similarity pass

Pair = tuple[Document, Document]


def pair_renames(removed: list[Document],
                 added: list[Document]) -> tuple[list[Pair], list[Document], list[Document]]:
    """(renamed pairs, still removed, still added)."""
    pairs, removed, added = _exact(removed, added)
    similar, removed, added = _similar(removed, added)
    return pairs + similar, removed, added


def _signature(doc: Document) -> tuple[str, str, str, str]:
    """The text with the document's own names replaced by role placeholders (longest first,
    so a namespace `payments-prod` is not half-replaced as tenant `payments`)."""
    identity = doc.identity
    roles = {"\x00namespace": identity.namespace, "\x00name": identity.name,
             "\x00tenant": doc.tenant}
    text = doc.text
    for placeholder, token in sorted(roles.items(), key=lambda item: -len(item[1])):
        if token:
            text = text.replace(token, placeholder)
    return identity.scope, identity.api_version, identity.kind, text


def _exact(removed: list[Document],
           added: list[Document]) -> tuple[list[Pair], list[Document], list[Document]]:
    waiting: dict[tuple[str, str, str, str], list[Document]] = defaultdict(list)
    for doc in removed:
        waiting[_signature(doc)].append(doc)
    pairs: list[Pair] = []
    unmatched_added = []
    for doc in added:
        candidates = waiting.get(_signature(doc))
        if candidates:
            pairs.append((candidates.pop(0), doc))
        else:
            unmatched_added.append(doc)
    paired = {id(old) for old, _ in pairs}
    return pairs, [d for d in removed if id(d) not in paired], unmatched_added


def _similar(removed: list[Document],
             added: list[Document]) -> tuple[list[Pair], list[Document], list[Document]]:
    groups: dict[tuple[str, ...], tuple[list[Document], list[Document]]] = defaultdict(
        lambda: ([], []))
    for side, docs in ((0, removed), (1, added)):
        for doc in docs:
            i = doc.identity
            groups[(i.scope, i.api_version, i.kind, i.namespace)][side].append(doc)
    pairs: list[Pair] = []
    for old_docs, new_docs in groups.values():
        if old_docs and new_docs and len(old_docs) * len(new_docs) <= MAX_GROUP:
            pairs.extend(_best_pairs(old_docs, new_docs))
    paired = {id(doc) for pair in pairs for doc in pair}
    return (pairs, [d for d in removed if id(d) not in paired],
            [d for d in added if id(d) not in paired])


def _best_pairs(old_docs: list[Document], new_docs: list[Document]) -> Iterable[Pair]:
    scored = []
    new_lines = [_signature(new)[-1].splitlines() for new in new_docs]
    for i, old in enumerate(old_docs):
        old_lines = _signature(old)[-1].splitlines()
        for j, lines in enumerate(new_lines):
            matcher = difflib.SequenceMatcher(None, old_lines, lines, autojunk=False)
            if matcher.real_quick_ratio() >= SIMILARITY and matcher.quick_ratio() >= SIMILARITY:
                ratio = matcher.ratio()
                if ratio >= SIMILARITY:
                    scored.append((-ratio, i, j))
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for _, i, j in sorted(scored):
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            yield old_docs[i], new_docs[j]
