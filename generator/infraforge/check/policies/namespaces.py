"""Tenant namespaces: objects stay inside them, and each carries the platform's guardrail bundle.

The bundle (Pod Security labels, quotas, LimitRange) is what makes a namespace a safe tenant
boundary; the NetworkPolicy part lives in network.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from infraforge.check.policies.podspec import as_dict, as_list
from infraforge.check.policies.registry import Finding, rule
from infraforge.check.policies.tree import (
    CLUSTER_SCOPED,
    PolicyTree,
    TenantNamespace,
    labels_of,
)

PSS_MODES = ("enforce", "warn", "audit")
PINNED_VERSION = re.compile(r"v[0-9]+\.[0-9]+")
COMPUTE_QUOTA = ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory",
                 "requests.storage")
OBJECT_QUOTA = ("pods", "services", "persistentvolumeclaims", "secrets", "configmaps")
ZERO_QUOTA = ("services.nodeports", "services.loadbalancers")


@rule("POL-TENANT-NAMESPACE", "every tenant object lives in its tenant's namespace "
      "(<tenant>-<env>), never in `default` or another tenant's",
      hint="the compiler sets metadata.namespace; a tenant may not choose it")
def tenant_namespace(tree: PolicyTree) -> Iterator[Finding]:
    for obj in tree.objects:
        scope = tree.scope(obj)
        if obj.namespace == "default":
            yield Finding(obj, "metadata.namespace is `default`")
        if scope is None:
            continue
        if obj.kind == "Namespace":
            if obj.name != scope.namespace:
                yield Finding(obj, f"tenant Namespace must be named {scope.namespace}")
        elif obj.kind in CLUSTER_SCOPED:
            yield Finding(obj, f"cluster-scoped kind {obj.kind} in tenant {scope.tenant}'s tree")
        elif obj.namespace not in (scope.namespace, "default"):
            yield Finding(obj, f"metadata.namespace is {obj.namespace or 'missing'}; tenant "
                          f"{scope.tenant} in {scope.environment} may only use "
                          f"{scope.namespace}")


@rule("POL-PSS-RESTRICTED", "every tenant Namespace enforces, warns and audits Pod Security "
      "`restricted` at a pinned version",
      hint="the Namespace needs pod-security.kubernetes.io/{enforce,warn,audit}: restricted and "
           "*-version: vX.Y (not latest)")
def pss_restricted(tree: PolicyTree) -> Iterator[Finding]:
    for namespace in tree.namespaces.values():
        if namespace.namespace_object is None:
            yield Finding(namespace.anchor, f"namespace {namespace.name} has no Namespace "
                          "object carrying the Pod Security labels")
            continue
        labels = labels_of(namespace.namespace_object)
        for mode in PSS_MODES:
            key = f"pod-security.kubernetes.io/{mode}"
            if labels.get(key) != "restricted":
                yield Finding(namespace.namespace_object, f"label {key} is "
                              f"{labels.get(key, 'missing')}, not restricted")
            version = labels.get(f"{key}-version")
            if not isinstance(version, str) or not PINNED_VERSION.fullmatch(version):
                yield Finding(namespace.namespace_object, f"label {key}-version is "
                              f"{version or 'missing'}, not a pinned vX.Y")


def quota_hard(namespace: TenantNamespace) -> dict[str, Any]:
    """The union of every ResourceQuota's `hard` in the namespace (all of them are enforced)."""
    merged: dict[str, Any] = {}
    for quota in namespace.of_kind("ResourceQuota"):
        merged.update(as_dict(as_dict(quota.body.get("spec")).get("hard")))
    return merged


def _quota_anchor(namespace: TenantNamespace):
    quotas = namespace.of_kind("ResourceQuota")
    return quotas[0] if quotas else namespace.anchor


@rule("POL-QUOTA-COMPUTE", "every tenant namespace has a ResourceQuota on CPU, memory and "
      "storage", hint="the guardrail ResourceQuota needs requests.cpu/memory, limits.cpu/memory "
      "and requests.storage")
def quota_compute(tree: PolicyTree) -> Iterator[Finding]:
    for namespace in tree.namespaces.values():
        missing = [key for key in COMPUTE_QUOTA if key not in quota_hard(namespace)]
        if missing:
            yield Finding(_quota_anchor(namespace), f"namespace {namespace.name} has no quota "
                          f"on {', '.join(missing)}")


@rule("POL-QUOTA-OBJECTS", "every tenant namespace caps object counts and allows no NodePort "
      "or LoadBalancer Services", hint="the guardrail ResourceQuota needs pods, services, "
      "persistentvolumeclaims, secrets, configmaps and services.nodeports/loadbalancers: 0")
def quota_objects(tree: PolicyTree) -> Iterator[Finding]:
    for namespace in tree.namespaces.values():
        hard = quota_hard(namespace)
        missing = [key for key in OBJECT_QUOTA if key not in hard]
        if missing:
            yield Finding(_quota_anchor(namespace), f"namespace {namespace.name} has no object "
                          f"count quota on {', '.join(missing)}")
        for key in ZERO_QUOTA:
            if str(hard.get(key)) != "0":
                yield Finding(_quota_anchor(namespace), f"namespace {namespace.name} quota "
                              f"{key} is {hard.get(key, 'missing')}, must be 0")


@rule("POL-LIMITRANGE", "every tenant namespace has a LimitRange giving containers default "
      "requests and limits", hint="the guardrail LimitRange needs a type: Container item with "
      "default and defaultRequest (cpu and memory)")
def limit_range(tree: PolicyTree) -> Iterator[Finding]:
    for namespace in tree.namespaces.values():
        if not any(_has_container_defaults(o.body) for o in namespace.of_kind("LimitRange")):
            ranges = namespace.of_kind("LimitRange")
            yield Finding(ranges[0] if ranges else namespace.anchor, f"namespace "
                          f"{namespace.name} has no LimitRange with Container default and "
                          "defaultRequest for cpu and memory")


def _has_container_defaults(body: dict[str, Any]) -> bool:
    for item in as_list(as_dict(body.get("spec")).get("limits")):
        item = as_dict(item)
        if item.get("type") == "Container" and all(
                {"cpu", "memory"} <= as_dict(item.get(key)).keys()
                for key in ("default", "defaultRequest")):
            return True
    return False
