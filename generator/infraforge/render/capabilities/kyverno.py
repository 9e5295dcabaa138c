"""The platform's admission policies, enforced by Kyverno in every environment.

The compiler already renders compliant objects; these close the door on everything applied by
other means (kubectl, a tenant's own Application): tenant namespaces keep Pod Security
`restricted`, tenant Services are never exposed on node ports or cloud load balancers, and an
ExternalSecret may only read through its own namespace's SecretStore.
"""

from __future__ import annotations

from typing import Any

from infraforge.render.capabilities.common import SKIP_DRY_RUN
from infraforge.render.meta import SYNC_OPTIONS, SYNC_WAVE, TENANT_LABEL, obj, platform_labels

API = "kyverno.io/v1"
WAVE = "1"  # after the chart (wave 0), which installs the ClusterPolicy CRD
TENANT_SELECTOR = {"matchExpressions": [{"key": TENANT_LABEL, "operator": "Exists"}]}


def _rule(name: str, kind: str, message: str, pattern: dict[str, Any],
          namespaced: bool = True) -> dict[str, Any]:
    scope = {"namespaceSelector": TENANT_SELECTOR} if namespaced else {"selector": TENANT_SELECTOR}
    return {"name": name, "match": {"any": [{"resources": {"kinds": [kind], **scope}}]},
            "validate": {"failureAction": "Enforce", "message": message, "pattern": pattern}}


POLICIES: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "infraforge-require-pod-security": (
        "Tenant namespaces enforce Pod Security restricted at a pinned version",
        [_rule("restricted-namespaces", "Namespace",
               "tenant namespaces must enforce Pod Security `restricted` at a pinned version",
               {"metadata": {"labels": {"pod-security.kubernetes.io/enforce": "restricted",
                                        "pod-security.kubernetes.io/enforce-version": "v?*"}}},
               namespaced=False)]),
    "infraforge-disallow-node-ports": (
        "Tenant Services stay inside the cluster: no NodePort, no LoadBalancer",
        [_rule("no-node-port", "Service", "NodePort Services are not allowed in tenant "
               "namespaces", {"spec": {"=(type)": "!NodePort"}}),
         _rule("no-load-balancer", "Service", "LoadBalancer Services are not allowed in tenant "
               "namespaces", {"spec": {"=(type)": "!LoadBalancer"}})]),
    "infraforge-restrict-secret-stores": (
        "An ExternalSecret reads through its own namespace's SecretStore, never a cluster store",
        [_rule("namespaced-store-only", "ExternalSecret", "ExternalSecrets may only reference "
               "a SecretStore in their own namespace",
               {"spec": {"=(secretStoreRef)": {"=(kind)": "SecretStore"}}})]),
}


def cluster_policies(env: str, source: str) -> list[dict[str, Any]]:
    policies = []
    for name, (description, rules) in POLICIES.items():
        policy = obj(API, "ClusterPolicy", name, None, platform_labels(env), source,
                     {"background": True, "rules": rules})
        policy["metadata"]["annotations"].update({
            SYNC_WAVE: WAVE, SYNC_OPTIONS: SKIP_DRY_RUN,
            "policies.kyverno.io/description": description})
        policies.append(policy)
    return policies
