"""The catalog's document kinds: Platform, EnvironmentOverlay, Tenant, InfraForge, Service."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from infraforge.model.common import (
    DnsLabel,
    Document,
    Environment,
    ImageReference,
    Resources,
    Strict,
)
from infraforge.model.prices import Prices
from infraforge.model.settings import (
    CapabilitySettings,
    EnvironmentSettings,
    Probes,
    QueueName,
    Replicas,
    Scaling,
    TenantSettings,
)

EnvVarName = Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]*$", max_length=128)]
Text = Annotated[str, Field(max_length=1000)]


# --- Platform -------------------------------------------------------------------------------

class Cluster(Strict):
    name: DnsLabel
    server: Annotated[str, Field(pattern=r"^https://[A-Za-z0-9.\-:/]+$")]


class PlatformEnvironment(Strict):
    name: Environment
    cluster: Cluster


class GitOps(Strict):
    repoURL: Annotated[str, Field(pattern=r"^(https://|ssh://|git@)[A-Za-z0-9@:/._\-~]+$")]
    renderedBranch: Annotated[str, Field(pattern=r"^[A-Za-z0-9._/\-]+$")] = "rendered"
    argocdNamespace: DnsLabel = "argocd"


class PlatformRule(Strict):
    """An extra validation rule the platform team writes in YAML (a cerberus schema)."""

    id: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", max_length=40)]
    appliesTo: Literal["Tenant", "Service", "InfraForge"]
    description: Text
    hint: Text = ""
    schema_: Annotated[dict[str, Any], Field(alias="schema")]


# `<tenant>/<name>` or `<namespace>/<name>`: a DNS-1123 label, then a rendered object's
# metadata.name (a DNS-1123 subdomain, so dots are allowed).
PolicyObject = Annotated[str, Field(
    pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", max_length=317)]


class PolicySetting(Strict):
    """Disable or downgrade one policy rule, for the whole platform or, with `objects`, only
    for the objects named (the rule keeps its severity everywhere else)."""

    action: Literal["disable", "warn"]
    reason: Text
    objects: Annotated[list[PolicyObject], Field(min_length=1, max_length=200)] | None = None


class Limits(Strict):
    maxServicesPerTenant: Annotated[int, Field(ge=1, le=500)] = 25
    maxDeletedApplications: Annotated[int, Field(ge=0)] = 5


# A Helm repository (https) or an OCI registry path (ArgoCD takes the latter without a scheme)
CHART_REPO = r"^(https://|oci://)?[A-Za-z0-9.\-]+(:[0-9]+)?(/[A-Za-z0-9._\-~]+)*/?$"
OperatorName = Literal[
    "cloudnative-pg", "rabbitmq-cluster-operator", "redis-operator", "minio-operator", "vault",
    "external-secrets", "velero", "kube-prometheus-stack", "keda", "kyverno",
]


class Operator(Strict):
    """One platform component, installed per environment from a pinned Helm chart."""

    name: OperatorName
    repoURL: Annotated[str, Field(pattern=CHART_REPO, max_length=255)]
    chart: Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", max_length=63)]
    version: Annotated[str, Field(pattern=r"^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.\-]+)?$")]
    namespace: DnsLabel | None = None


class PlatformSpec(Strict):
    gitops: GitOps
    environments: Annotated[list[PlatformEnvironment], Field(min_length=1)]
    kubernetesVersion: Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")] = "1.33.0"
    podSecurityVersion: Annotated[str, Field(pattern=r"^v[0-9]+\.[0-9]+$")] = "v1.33"
    monitoringNamespace: DnsLabel = "monitoring"
    limits: Limits = Limits()
    rules: list[PlatformRule] = []
    policies: dict[str, PolicySetting] = {}
    operators: list[Operator] = []
    prices: Prices = Prices()


class Platform(Document):
    kind: Literal["Platform"]
    spec: PlatformSpec


# --- EnvironmentOverlay ---------------------------------------------------------------------

class EnvironmentOverlay(Document):
    kind: Literal["EnvironmentOverlay"]
    spec: EnvironmentSettings


# --- Tenant ---------------------------------------------------------------------------------

class Owner(Strict):
    group: DnsLabel


class TenantSpec(TenantSettings):
    displayName: Annotated[str, Field(max_length=100)] | None = None
    description: Text | None = None
    owner: Owner
    members: list[Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$")]] = []
    costCenter: Annotated[str, Field(max_length=64)]
    environments: Annotated[list[Environment], Field(min_length=1)]


class Tenant(Document):
    kind: Literal["Tenant"]
    spec: TenantSpec


# --- InfraForge (the request format of the platform design, accepted verbatim) --------------

class RequestSpec(CapabilitySettings):
    tenant: DnsLabel
    environment: Environment


class InfraForge(Document):
    kind: Literal["InfraForge"]
    spec: RequestSpec


# --- Service --------------------------------------------------------------------------------

class EnvVar(Strict):
    name: EnvVarName
    value: Annotated[str, Field(max_length=4096)]


class SecretRef(Strict):
    """A value that lives in Vault: the catalog names where, never what."""

    name: EnvVarName
    path: Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9_/]*[a-z0-9])?$", max_length=200)]
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]+$", max_length=100)]


class Metrics(Strict):
    enabled: bool | None = None
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    path: Annotated[str, Field(pattern=r"^/[A-Za-z0-9._~/-]*$")] | None = None


Capability = Literal["database", "cache", "messaging", "objectStorage"]
PgIdentifier = Annotated[str, Field(pattern=r"^[a-z]([a-z0-9_]*[a-z0-9])?$", max_length=63)]


class ServiceDatabase(Strict):
    """A database of its own: created in the tenant's cluster, owned by a role for this service."""

    name: PgIdentifier


class Queue(Strict):
    name: QueueName
    type: Literal["quorum", "classic", "stream"] = "quorum"


class ServiceMessaging(Strict):
    """The service's RabbitMQ user lives in `vhost` (default: the tenant's name)."""

    vhost: DnsLabel | None = None
    queues: list[Queue] = []


class Bucket(Strict):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]{1,61}[a-z0-9]$")]
    objectLock: bool = False


class ServiceObjectStorage(Strict):
    buckets: list[Bucket] = []


class ServiceSettings(Strict):
    """The per-service fields an environment override may change."""

    replicas: Replicas | None = None
    resources: Resources | None = None
    scaling: Scaling | None = None
    probes: Probes | None = None
    env: list[EnvVar] | None = None
    secrets: list[SecretRef] | None = None
    metrics: Metrics | None = None


class ServiceSpec(ServiceSettings):
    tenant: DnsLabel
    description: Text | None = None
    lifecycle: Literal["experimental", "production", "deprecated"] = "production"
    image: ImageReference
    port: Annotated[int, Field(ge=1, le=65535)]
    uses: list[Capability] = []
    database: ServiceDatabase | None = None
    messaging: ServiceMessaging | None = None
    objectStorage: ServiceObjectStorage | None = None
    providesApis: list[DnsLabel] = []
    consumesApis: list[DnsLabel] = []
    environments: dict[Environment, ServiceSettings] = {}


class Service(Document):
    kind: Literal["Service"]
    spec: ServiceSpec


KINDS: dict[str, type[Document]] = {
    model.model_fields["kind"].annotation.__args__[0]: model  # type: ignore[union-attr]
    for model in (Platform, EnvironmentOverlay, Tenant, InfraForge, Service)
}
