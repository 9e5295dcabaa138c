"""The rendered tree as the policy rules see it: Kubernetes objects grouped by tenant namespace.

Which tenant an object belongs to comes from its labels (`infraforge.io/tenant`,
`infraforge.io/environment`) and, failing that, from where it was rendered
(`<env>/<tenant>/<app>/<file>`); its namespace must then be `<tenant>-<env>`.

Rules see the tree through partitions, so that a run can re-check only what changed: an
object's partition keys are its tenant scope's namespace and its own namespace
(`partition_keys`). A rule may relate two objects only when they share a key; anything it
needs from the rest of the tree comes from `TreeFacts`, which are gathered file by file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from infraforge.check.objects import RenderedObject
from infraforge.check.policies.podspec import find_containers, find_pods
from infraforge.model.common import ENVIRONMENT_NAMES
from infraforge.render.meta import ENV_LABEL, TENANT_LABEL

# Rendered folders that belong to the platform, not to a tenant (`<env>/platform/velero/`...).
PLATFORM_DIRS = frozenset({"argocd", "backstage", "platform"})
NOT_KUBERNETES_GROUPS = ("backstage.io",)
CLUSTER_SCOPED = frozenset({
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding",
    "CustomResourceDefinition", "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass",
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ClusterIssuer",
    "ClusterSecretStore", "ClusterPolicy", "CSIDriver", "VolumeSnapshotClass",
})
# The one partition of namespaced objects that name no namespace (rules match them by it).
NO_NAMESPACE = ""
VELERO_GROUP = "velero.io"


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
    return obj.api_version.rpartition("/")[0]


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
    """Kept on the object once known (its body never changes): validation asks for it when it
    gathers a file's facts and again in the policy tree and the exception checks."""
    memo = obj.__dict__
    if _SCOPE not in memo:
        memo[_SCOPE] = label_scope(obj) or path_scope(obj)
    return memo[_SCOPE]


_SCOPE = "_policy_scope"


def partition_keys(obj: RenderedObject, scope: Scope | None) -> set[str]:
    """The partitions `obj` belongs to: its tenant scope's namespace and its own namespace."""
    keys = {scope.namespace} if scope else set()
    namespace = obj.namespace
    if namespace is not None:
        keys.add(str(namespace))
    elif obj.kind not in CLUSTER_SCOPED:
        keys.add(NO_NAMESPACE)
    return keys


def backup_namespaces(obj: RenderedObject) -> set[str]:
    """The namespaces a Velero Schedule backs up (its template's list and its own)."""
    if obj.kind != "Schedule" or group_of(obj) != VELERO_GROUP:
        return set()
    template = _mapping(_mapping(obj.body.get("spec")).get("template"))
    included = template.get("includedNamespaces")
    covered = {str(n) for n in included} if isinstance(included, list) else set()
    namespace = obj.namespace
    return covered | ({namespace} if isinstance(namespace, str) and namespace else set())


@dataclass(frozen=True)
class TreeFacts:
    """What a rule may know of the whole tree beyond its partition: the tenant scopes present
    and the namespaces Velero backs up. Per file, then merged."""

    scopes: frozenset[Scope] = frozenset()
    backups: frozenset[str] = frozenset()

    @classmethod
    def of(cls, objects: Iterable[RenderedObject]) -> TreeFacts:
        kubernetes = [o for o in objects if is_kubernetes(o)]
        return cls(frozenset(s for o in kubernetes if (s := scope_of(o)) is not None),
                   frozenset(n for o in kubernetes for n in backup_namespaces(o)))

    @classmethod
    def merge(cls, many: Iterable[TreeFacts]) -> TreeFacts:
        many = list(many)
        return cls(frozenset().union(*(f.scopes for f in many)),
                   frozenset().union(*(f.backups for f in many)))


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
