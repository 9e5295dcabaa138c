"""What the policy side remembers of each file, and how files join into components.

A file's facts are its objects' partition keys, their tenant scopes, the namespaces its Velero
Schedules back up, which of the platform's scoped exceptions name one of its objects, and, for
an exception that names no object anywhere, the file's closest name to it (the hint). They are
small, so the index keeps them for every file and an unchanged file is never read again just
to learn them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
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
    closest: dict[str, str | None] = field(default_factory=dict)  # stale entry -> closest name

    def dump(self) -> dict[str, Any]:
        return {"keys": sorted(self.keys), "scopes": sorted(map(list, self.scopes)),
                "backups": sorted(self.backups), "matched": sorted(self.matched),
                "closest": dict(sorted(self.closest.items()))}

    @classmethod
    def load(cls, stored: Any) -> FileFacts | None:
        try:
            closest = stored["closest"]
            return cls(frozenset(stored["keys"]), frozenset(map(tuple, stored["scopes"])),
                       frozenset(stored["backups"]), frozenset(stored["matched"]),
                       {str(k): v for k, v in closest.items()})
        except (AttributeError, KeyError, TypeError, ValueError):
            return None


def file_facts(parsed: ParsedFile, named: frozenset[str]) -> FileFacts:
    from infraforge.check.policies import object_names, partition_keys, scope_of
    from infraforge.check.policies.partitions import backup_namespaces
    from infraforge.check.policies.scope import is_kubernetes

    keys: set[str] = set()
    scopes: set[tuple[str, str]] = set()
    backups: set[str] = set()
    matched: set[str] = set()
    # an entry `<owner>/<name>` can only name objects called <name> (names may hold a '/')
    wanted = {entry[i + 1:] for entry in named for i, c in enumerate(entry) if c == "/"}
    for obj in policy_objects(parsed):
        if not is_kubernetes(obj):
            continue
        scope = scope_of(obj)
        keys |= partition_keys(obj, scope)
        if scope is not None:
            scopes.add((scope.tenant, scope.environment))
        backups |= backup_namespaces(obj)
        if obj.name in wanted:
            matched |= object_names(obj) & named
    return FileFacts(frozenset(keys), frozenset(scopes), frozenset(backups), frozenset(matched))


def with_closest(facts: FileFacts, parsed: ParsedFile, entries: set[str]) -> FileFacts:
    """`facts` knowing the file's closest name to each of `entries`."""
    from infraforge.check.policies import closest_name, known_names

    names = known_names(policy_objects(parsed))
    return replace(facts, closest={**facts.closest,
                                   **{entry: closest_name(entry, names) for entry in entries}})


def tree_facts(many: Iterable[FileFacts]):  # -> policies.TreeFacts
    from infraforge.check.policies import TreeFacts
    from infraforge.check.policies.scope import Scope

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
