"""What a rule may combine, so that validate can re-check only part of a tree.

An object's partition keys are its tenant scope's namespace and its own namespace. A rule may
relate two objects only when they share a key; anything it needs from the rest of the tree
comes from `TreeFacts` (the tenant scopes present, the namespaces Velero backs up), which are
gathered file by file and merged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from infraforge.check.objects import RenderedObject
from infraforge.check.policies.podspec import as_dict
from infraforge.check.policies.scope import Scope, group_of, is_kubernetes, scope_of

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
    template = as_dict(as_dict(obj.body.get("spec")).get("template"))
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
