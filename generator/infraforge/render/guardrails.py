"""The namespace guardrail bundle every tenant namespace gets, owned by the platform.

Namespace (Pod Security `restricted`, pinned version), ResourceQuota (compute, storage, object
counts, no NodePorts or LoadBalancers), LimitRange, default-deny NetworkPolicies with DNS,
workload-to-workload and monitoring allowances, the owner group's RoleBinding, and what the
capabilities need guarded: the namespace's Vault SecretStore and the NetworkPolicies that let
services reach exactly the capabilities they use (capabilities/network.py). These live in the
platform's guardrails Application; the tenant's AppProject may not create or change them.
"""

from __future__ import annotations

from typing import Any

from infraforge.render.capabilities.bundle import guardrail_objects
from infraforge.render.capabilities.network import workloads_selector
from infraforge.render.meta import WAVE_GUARDRAILS, annotate, obj, tenant_labels
from infraforge.resolve.units import Unit

PSS_MODES = ("enforce", "warn", "audit")


def render_guardrails(unit: Unit) -> list[dict[str, Any]]:
    return [annotate(item, **{"argocd.argoproj.io/sync-wave": WAVE_GUARDRAILS}) for item in (
        namespace(unit), resource_quota(unit), limit_range(unit), *network_policies(unit),
        owner_role_binding(unit), *guardrail_objects(unit))]


def namespace(unit: Unit) -> dict[str, Any]:
    labels = tenant_labels(unit.tenant, unit.environment)
    version = unit.platform.podSecurityVersion
    for mode in PSS_MODES:
        labels[f"pod-security.kubernetes.io/{mode}"] = "restricted"
        labels[f"pod-security.kubernetes.io/{mode}-version"] = version
    return obj("v1", "Namespace", unit.namespace, None, labels, unit.tenant_file)


def resource_quota(unit: Unit) -> dict[str, Any]:
    quota = unit.settings["quota"]
    hard = {
        "requests.cpu": str(quota["requests"]["cpu"]),
        "requests.memory": quota["requests"]["memory"],
        "limits.cpu": str(quota["limits"]["cpu"]),
        "limits.memory": quota["limits"]["memory"],
        "requests.storage": quota["storage"],
        "pods": str(quota["pods"]),
        "services": str(quota["services"]),
        "persistentvolumeclaims": str(quota["persistentVolumeClaims"]),
        "secrets": str(quota["secrets"]),
        "configmaps": str(quota["configMaps"]),
        "services.nodeports": "0",
        "services.loadbalancers": "0",
    }
    return obj("v1", "ResourceQuota", "tenant-quota", unit.namespace, _labels(unit),
               unit.tenant_file, {"hard": hard})


def limit_range(unit: Unit) -> dict[str, Any]:
    limits = unit.settings["limitRange"]
    item = {
        "type": "Container",
        "default": _compute(limits["default"]),
        "defaultRequest": _compute(limits["defaultRequest"]),
        "max": _compute(limits["max"]),
    }
    return obj("v1", "LimitRange", "tenant-limits", unit.namespace, _labels(unit),
               unit.tenant_file, {"limits": [item]})


def network_policies(unit: Unit) -> list[dict[str, Any]]:
    monitoring = unit.platform.monitoringNamespace
    policies = {
        "default-deny": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
        "allow-dns": {
            "podSelector": {}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"namespaceSelector": _ns("kube-system"),
                                "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                        "ports": [{"protocol": "UDP", "port": 53},
                                  {"protocol": "TCP", "port": 53}]}],
        },
        "allow-monitoring": {
            "podSelector": {}, "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"namespaceSelector": _ns(monitoring)}]}],
        },
    }
    if unit.services:
        # the tenant's services call each other; capability pods are not workloads (their
        # traffic is allowed per capability, see capabilities/network.py)
        workloads = workloads_selector()
        policies["allow-same-namespace"] = {
            "podSelector": workloads, "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"podSelector": workloads}]}],
            "egress": [{"to": [{"podSelector": workloads}]}],
        }
    return [obj("networking.k8s.io/v1", "NetworkPolicy", name, unit.namespace, _labels(unit),
                unit.tenant_file, spec) for name, spec in policies.items()]


def owner_role_binding(unit: Unit) -> dict[str, Any]:
    role = unit.settings["access"]["ownerRole"]
    group = unit.tenant_spec.owner.group
    return obj("rbac.authorization.k8s.io/v1", "RoleBinding", f"owners-{role}", unit.namespace,
               _labels(unit), unit.tenant_file,
               roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                        "name": role},
               subjects=[{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group",
                          "name": group}])


def _labels(unit: Unit) -> dict[str, str]:
    return tenant_labels(unit.tenant, unit.environment)


def _ns(name: str) -> dict[str, Any]:
    return {"matchLabels": {"kubernetes.io/metadata.name": name}}


def _compute(values: dict[str, Any]) -> dict[str, str]:
    return {"cpu": str(values["cpu"]), "memory": str(values["memory"])}
