"""The platform components InfraForge knows how to install, and where each one runs.

A component's namespace is where its operator's pods live: tenant NetworkPolicies admit traffic
from exactly these namespaces, so it is read from the Platform document when set there.
"""

from __future__ import annotations

from types import MappingProxyType

from infraforge.model.kinds import PlatformSpec

DEFAULT_NAMESPACES = MappingProxyType({
    "cloudnative-pg": "cnpg-system",
    "rabbitmq-cluster-operator": "rabbitmq-system",
    "redis-operator": "redis-operator",
    "minio-operator": "minio-operator",
    "vault": "vault",
    "external-secrets": "external-secrets",
    "velero": "velero",
    "kube-prometheus-stack": "monitoring",
    "keda": "keda",
    "kyverno": "kyverno",
})

# Which operator serves which capability (a capability needs its operator installed).
CAPABILITY_OPERATORS = MappingProxyType({
    "database": "cloudnative-pg",
    "cache": "redis-operator",
    "messaging": "rabbitmq-cluster-operator",
    "objectStorage": "minio-operator",
})


def component_namespace(platform: PlatformSpec, component: str) -> str:
    """The namespace of `component`: the Platform document's choice, else the default.

    Monitoring is the exception: its namespace is the platform's `monitoringNamespace`, which
    the tenant guardrails already admit for scraping.
    """
    if component == "kube-prometheus-stack":
        return platform.monitoringNamespace
    for operator in platform.operators:
        if operator.name == component and operator.namespace:
            return operator.namespace
    return DEFAULT_NAMESPACES[component]


def vault_address(platform: PlatformSpec) -> str:
    return f"http://vault.{component_namespace(platform, 'vault')}.svc:8200"
