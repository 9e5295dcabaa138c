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

    @property
    def anchor(self) -> RenderedObject:
        """Where a missing-guardrail finding is reported: the Namespace, else its first object."""
        return self.namespace_object or min(self.scoped, key=lambda o: (o.file, o.line))

    def of_kind(self, kind: str) -> list[RenderedObject]:
        return [o for o in self.objects if o.kind == kind]


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
    """Immutable-by-convention view built once per run and shared by every rule."""

    def __init__(self, objects: list[RenderedObject]):
        self.objects = tuple(o for o in objects if is_kubernetes(o))
        self.namespaces: dict[str, TenantNamespace] = {}
        seen_envs = {s.environment for s in map(scope_of, self.objects) if s}
        self.environments = frozenset(ENVIRONMENT_NAMES) | seen_envs
        self._by_namespace: dict[str, list[RenderedObject]] = defaultdict(list)
        for obj in self.objects:
            self._index(obj)

    def _index(self, obj: RenderedObject) -> None:
        if isinstance(obj.namespace, str):
            self._by_namespace[obj.namespace].append(obj)
        scope = scope_of(obj)
        if scope is None:
            return
        entry = self.namespaces.setdefault(scope.namespace,
                                           TenantNamespace(scope.namespace, scope))
        entry.scoped.append(obj)
        if obj.kind == "Namespace" and obj.name == scope.namespace:
            entry.namespace_object = obj
        elif obj.namespace == scope.namespace:
            entry.objects.append(obj)

    @property
    def tenants(self) -> frozenset[str]:
        return frozenset(entry.scope.tenant for entry in self.namespaces.values())

    def in_namespace(self, namespace: str | None) -> list[RenderedObject]:
        return self._by_namespace.get(namespace or "", [])

    def of_kind(self, *kinds: str) -> list[RenderedObject]:
        return [o for o in self.objects if o.kind in kinds]

    def is_tenant_namespace_of(self, tenant: str, namespace: str) -> bool:
        """`<tenant>-<env>` exactly: no globs, and `team-a` never covers `team-a-dev-prod`."""
        prefix = f"{tenant}-"
        return namespace.startswith(prefix) and namespace[len(prefix):] in self.environments
