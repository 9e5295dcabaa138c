"""What the policy side remembers of each file, and how files join into components.

A file's facts are its objects' partition keys, their tenant scopes, the namespaces its Velero
Schedules back up, and which of the platform's scoped exceptions name one of its objects. They
are small, so the index keeps them for every file and an unchanged file is never read again
just to learn them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from infraforge.check.backstage import is_entity
from infraforge.check.documents import ParsedFile
from infraforge.check.objects import RenderedObject
from infraforge.check.tree import TreeFile


def policy_objects(parsed: ParsedFile) -> list[RenderedObject]:
    """The objects the policies judge: all but Backstage entities (check.backstage's)."""
    return [o for o in parsed.objects if not is_entity(o)]


@dataclass(frozen=True)
class FileFacts:
    keys: frozenset[str]
    scopes: frozenset[tuple[str, str]]  # (tenant, environment)
    backups: frozenset[str]
    matched: frozenset[str]  # scoped-exception entries that name an object of the file

    def dump(self) -> dict[str, list]:
        return {"keys": sorted(self.keys), "scopes": sorted(map(list, self.scopes)),
                "backups": sorted(self.backups), "matched": sorted(self.matched)}

    @classmethod
    def load(cls, stored: Any) -> FileFacts | None:
        try:
            return cls(frozenset(stored["keys"]), frozenset(map(tuple, stored["scopes"])),
                       frozenset(stored["backups"]), frozenset(stored["matched"]))
        except (KeyError, TypeError, ValueError):
            return None


def file_facts(parsed: ParsedFile, named: frozenset[str]) -> FileFacts:
    from infraforge.check.policies import TreeFacts, object_names, partition_keys, scope_of
    from infraforge.check.policies.tree import is_kubernetes

    objects = [o for o in policy_objects(parsed) if is_kubernetes(o)]
    keys = {key for o in objects for key in partition_keys(o, scope_of(o))}
    facts = TreeFacts.of(objects)
    matched = {name for o in objects for name in object_names(o) if name in named} \
        if named else set()
    return FileFacts(frozenset(keys), frozenset((s.tenant, s.environment) for s in facts.scopes),
                     facts.backups, frozenset(matched))


def tree_facts(many: Iterable[FileFacts]):  # -> policies.TreeFacts
    from infraforge.check.policies import TreeFacts
    from infraforge.check.policies.tree import Scope

    many = list(many)
    return TreeFacts(frozenset(Scope(*s) for f in many for s in f.scopes),
                     frozenset(b for f in many for b in f.backups))


def components(files: list[TreeFile], facts: dict[str, FileFacts]) -> list[list[TreeFile]]:
    """Files linked by a shared partition key, in the order of their first file."""
    parent = list(range(len(files)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, file in enumerate(files):
        for key in facts[file.display].keys:
            j = owner.setdefault(key, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[TreeFile]] = {}
    for i, file in enumerate(files):
        groups.setdefault(find(i), []).append(file)
    return list(groups.values())
