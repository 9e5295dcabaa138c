"""The rendered tree as the policy rules see it: Kubernetes objects grouped by tenant namespace.

Which tenant an object belongs to comes from its labels (`infraforge.io/tenant`,
`infraforge.io/environment`) and, failing that, from where it was rendered
(`<env>/<tenant>/<app>/<file>`); its namespace must then be `<tenant>-<env>`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from infraforge.check.objects import RenderedObject
from infraforge.check.policies.podspec import find_containers, find_pods
from infraforge.model.common import ENVIRONMENT_NAMES
from infraforge.render.meta import ENV_LABEL, TENANT_LABEL

# Rendered folders that belong to the platform, not to a tenant (`<env>/platform/velero/`...).
PLATFORM_DIRS = frozenset({"argocd", "backstage", "platform"})
NOT_KUBERNETES_GROUPS = ("backstage.io",)


@dataclass(frozen=True)
class Scope:
    tenant: str
    environment: str

    @property
    def namespace(self) -> str:
        return f"{self.tenant}-{self.environment}"


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


def group_of(obj: RenderedObject) -> str:
    api_version = str(obj.body.get("apiVersion", ""))
    return api_version.rpartition("/")[0]


def labels_of(obj: RenderedObject) -> dict[str, Any]:
    return _mapping(_mapping(obj.body.get("metadata")).get("labels"))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def is_kubernetes(obj: RenderedObject) -> bool:
    return (isinstance(obj.body, dict) and bool(obj.kind)
            and group_of(obj) not in NOT_KUBERNETES_GROUPS)


def label_scope(obj: RenderedObject) -> Scope | None:
    labels = labels_of(obj)
    tenant, env = labels.get(TENANT_LABEL), labels.get(ENV_LABEL)
    if isinstance(tenant, str) and isinstance(env, str) and tenant and env:
        return Scope(tenant, env)
    return None


def path_scope(obj: RenderedObject) -> Scope | None:
    parts = obj.file.split("/")
    if len(parts) == 4 and parts[0] not in PLATFORM_DIRS and parts[1] not in PLATFORM_DIRS:
        return Scope(parts[1], parts[0])
    return None


def scope_of(obj: RenderedObject) -> Scope | None:
    return label_scope(obj) or path_scope(obj)


class PolicyTree:
    """Built once per run and shared by every rule: objects indexed by kind and tenant
    namespace, each object's scope, and the pods and containers found in workloads."""

    def __init__(self, objects: list[RenderedObject]):
        self.objects = tuple(o for o in objects if is_kubernetes(o))
        self._scopes = {id(o): scope_of(o) for o in self.objects}
        self.namespaces: dict[str, TenantNamespace] = {}
        self._by_kind: dict[str, list[RenderedObject]] = defaultdict(list)
        for obj in self.objects:
            self._index(obj)
        self.environments = frozenset(ENVIRONMENT_NAMES) | {
            e.scope.environment for e in self.namespaces.values()}
        self.tenants = frozenset(e.scope.tenant for e in self.namespaces.values())
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
