"""The rendered tree as the policy rules see it: Kubernetes objects grouped by tenant namespace.

Rules see the tree through partitions (partitions.py): they relate objects only when the
objects share a partition key, and learn the rest of the tree from its facts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from infraforge.check.objects import RenderedObject
from infraforge.check.policies.partitions import CLUSTER_SCOPED, TreeFacts
from infraforge.check.policies.podspec import find_containers, find_pods
from infraforge.check.policies.scope import Scope, group_of, is_kubernetes, labels_of, scope_of
from infraforge.model.common import ENVIRONMENT_NAMES

__all__ = ["CLUSTER_SCOPED", "PolicyTree", "Scope", "TenantNamespace", "TreeFacts", "group_of",
           "is_kubernetes", "labels_of", "scope_of"]


@dataclass
class TenantNamespace:
    """A tenant namespace and everything rendered into it (its Namespace object, if any)."""

    name: str
    scope: Scope
    namespace_object: RenderedObject | None = None
    objects: list[RenderedObject] = field(default_factory=list)  # those inside the namespace
    scoped: list[RenderedObject] = field(default_factory=list)  # every object of this scope
    by_kind: dict[str, list[RenderedObject]] = field(default_factory=lambda: defaultdict(list))

    @property
    def anchor(self) -> RenderedObject:
        """Where a missing-guardrail finding is reported: the Namespace, else its first object."""
        return self.namespace_object or min(self.scoped, key=lambda o: (o.file, o.line))

    def of_kind(self, kind: str) -> list[RenderedObject]:
        return self.by_kind.get(kind, [])


class PolicyTree:
    """Built once per run and shared by every rule: objects indexed by kind and tenant
    namespace, each object's scope, and the pods and containers found in workloads.

    `facts` are the whole tree's when `objects` are only some of its partitions."""

    def __init__(self, objects: list[RenderedObject], facts: TreeFacts | None = None):
        self.objects = tuple(o for o in objects if is_kubernetes(o))
        self._scopes = {id(o): scope_of(o) for o in self.objects}
        self.namespaces: dict[str, TenantNamespace] = {}
        self._by_kind: dict[str, list[RenderedObject]] = defaultdict(list)
        for obj in self.objects:
            self._index(obj)
        self.facts = facts if facts is not None else TreeFacts.of(self.objects)
        self.environments = frozenset(ENVIRONMENT_NAMES) | {
            s.environment for s in self.facts.scopes}
        self.tenants = frozenset(s.tenant for s in self.facts.scopes)
        self.pods = tuple(find_pods(self.objects))
        self.containers = tuple(find_containers(self.pods))

    def scope(self, obj: RenderedObject) -> Scope | None:
        return self._scopes[id(obj)]

    def _index(self, obj: RenderedObject) -> None:
        self._by_kind[obj.kind].append(obj)
        scope = self.scope(obj)
        if scope is None:
            return
        entry = self.namespaces.setdefault(scope.namespace,
                                           TenantNamespace(scope.namespace, scope))
        entry.scoped.append(obj)
        if obj.kind == "Namespace" and obj.name == scope.namespace:
            entry.namespace_object = obj
        elif obj.namespace == scope.namespace:
            entry.objects.append(obj)
            entry.by_kind[obj.kind].append(obj)

    def of_kind(self, *kinds: str) -> list[RenderedObject]:
        return [o for kind in kinds for o in self._by_kind.get(kind, ())]

    def is_tenant_namespace_of(self, tenant: str, namespace: str) -> bool:
        """`<tenant>-<env>` exactly: no globs, and `team-a` never covers `team-a-dev-prod`."""
        prefix = f"{tenant}-"
        return namespace.startswith(prefix) and namespace[len(prefix):] in self.environments
