"""Settings that every layer of the merge may set: overlay, tenant, request, service.

Every field is optional here because each layer is partial; the built-in defaults
(`resolve/defaults.py`) fill every field, so a resolved unit always has all of them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from infraforge.model.common import Compute, Quantity, Resources, Storage, Strict

Count = Annotated[int, Field(ge=0, le=100_000)]
Replicas = Annotated[int, Field(ge=0, le=100)]


class Quota(Strict):
    """The tenant namespace's ResourceQuota (compute, storage, object counts)."""

    requests: Compute | None = None
    limits: Compute | None = None
    storage: Quantity | None = None
    pods: Count | None = None
    services: Count | None = None
    persistentVolumeClaims: Count | None = None
    secrets: Count | None = None
    configMaps: Count | None = None


class LimitRangeSettings(Strict):
    defaultRequest: Compute | None = None
    default: Compute | None = None
    max: Compute | None = None


QueueName = Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$", max_length=100)]


class Scaling(Strict):
    """`mode: cpu` scales with a HorizontalPodAutoscaler, `mode: queue` with a KEDA ScaledObject
    on the length of a RabbitMQ queue some service of the tenant declares."""

    enabled: bool | None = None
    mode: Literal["cpu", "queue"] | None = None
    minReplicas: Annotated[int, Field(ge=1, le=100)] | None = None
    maxReplicas: Annotated[int, Field(ge=1, le=100)] | None = None
    targetCPUUtilization: Annotated[int, Field(ge=1, le=100)] | None = None
    queue: QueueName | None = None
    queueLength: Annotated[int, Field(ge=1, le=100_000)] | None = None
    pollingInterval: Annotated[int, Field(ge=5, le=3600)] | None = None
    cooldownPeriod: Annotated[int, Field(ge=0, le=86_400)] | None = None


class Probe(Strict):
    path: Annotated[str, Field(pattern=r"^/[A-Za-z0-9._~/-]*$", max_length=200)] | None = None
    initialDelaySeconds: Annotated[int, Field(ge=0, le=600)] | None = None
    periodSeconds: Annotated[int, Field(ge=1, le=600)] | None = None


class Probes(Strict):
    liveness: Probe | None = None
    readiness: Probe | None = None


class Workload(Strict):
    """Defaults every service of the tenant inherits."""

    replicas: Replicas | None = None
    resources: Resources | None = None
    scaling: Scaling | None = None
    probes: Probes | None = None


class Access(Strict):
    ownerRole: Literal["edit", "view"] | None = None


StorageClass = Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", max_length=63)]
AntiAffinity = Literal["none", "preferred", "required"]
ImageTag = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]*$", max_length=64)]


class Pooler(Strict):
    """A PgBouncer `Pooler` in front of the primary; clients then connect through it."""

    enabled: bool | None = None
    instances: Annotated[int, Field(ge=1, le=9)] | None = None
    poolMode: Literal["session", "transaction"] | None = None
    maxClientConnections: Annotated[int, Field(ge=10, le=100_000)] | None = None
    defaultPoolSize: Annotated[int, Field(ge=1, le=10_000)] | None = None


class Database(Strict):
    enabled: bool | None = None
    type: Literal["postgresql"] | None = None
    size: Storage | None = None
    instances: Annotated[int, Field(ge=1, le=9)] | None = None
    version: Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)?$")] | None = None
    storageClass: StorageClass | None = None
    antiAffinity: AntiAffinity | None = None
    resources: Resources | None = None
    pooler: Pooler | None = None


class Cache(Strict):
    enabled: bool | None = None
    mode: Literal["standalone", "cluster"] | None = None
    persistence: bool | None = None
    size: Storage | None = None
    clusterSize: Annotated[int, Field(ge=3, le=9)] | None = None
    version: ImageTag | None = None
    storageClass: StorageClass | None = None
    resources: Resources | None = None


class Messaging(Strict):
    enabled: bool | None = None
    replicas: Annotated[int, Field(ge=1, le=9)] | None = None
    size: Storage | None = None
    storageClass: StorageClass | None = None
    antiAffinity: AntiAffinity | None = None
    resources: Resources | None = None


class ObjectStorage(Strict):
    enabled: bool | None = None
    servers: Annotated[int, Field(ge=1, le=32)] | None = None
    volumesPerServer: Annotated[int, Field(ge=1, le=16)] | None = None
    size: Storage | None = None
    storageClass: StorageClass | None = None
    antiAffinity: AntiAffinity | None = None
    version: ImageTag | None = None
    resources: Resources | None = None


class Backup(Strict):
    enabled: bool | None = None
    schedule: Annotated[str, Field(pattern=r"^[0-9*/,\- ]+$", max_length=64)] | None = None
    retentionDays: Annotated[int, Field(ge=1, le=3650)] | None = None


class Monitoring(Strict):
    enabled: bool | None = None
    grafana: bool | None = None
    alerts: bool | None = None


class CapabilitySettings(Strict):
    """What a tenant's request for one environment may set (the platform design's fields)."""

    database: Database | None = None
    cache: Cache | None = None
    messaging: Messaging | None = None
    objectStorage: ObjectStorage | None = None


class TenantSettings(CapabilitySettings):
    """What a tenant may set for all its environments."""

    quota: Quota | None = None
    limitRange: LimitRangeSettings | None = None
    workload: Workload | None = None
    backup: Backup | None = None
    monitoring: Monitoring | None = None


class NodeGroup(Strict):
    count: Annotated[int, Field(ge=0, le=1000)] | None = None
    instanceType: str | None = None
    capacityType: Literal["SPOT", "ON_DEMAND"] | None = None


class Infrastructure(Strict):
    """Cluster-level sizing consumed by OpenTofu (`tofu/`) and the platform layer, owned by the
    platform team. AWS names (IAM roles, KMS alias) follow fixed conventions from these values,
    documented in docs/capabilities.md, so `tofu/` and the rendered tree agree without copying."""

    nodes: NodeGroup | None = None
    databaseNodes: NodeGroup | None = None
    natGateways: Annotated[int, Field(ge=0, le=6)] | None = None
    vaultBackend: Literal["file", "raft"] | None = None
    vaultReplicas: Annotated[int, Field(ge=1, le=7)] | None = None
    vaultAutoUnseal: bool | None = None
    awsAccountId: Annotated[str, Field(pattern=r"^[0-9]{12}$")] | None = None
    awsRegion: Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-[0-9]$")] | None = None
    vpcCidr: Annotated[str, Field(
        pattern=r"^([0-9]{1,3}\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$")] | None = None
    backupBucket: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$")] | None = None


class SecretsSettings(Strict):
    """How tenant namespaces reach Vault through External Secrets (platform-owned)."""

    kvMount: Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$")] | None = None
    authMount: Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9_/]*[a-z0-9])?$")] | None = None
    refreshInterval: Annotated[str, Field(pattern=r"^[0-9]+(s|m|h)$")] | None = None


class EnvironmentSettings(TenantSettings):
    """What an environment overlay may set: everything, plus platform-owned access and sizing."""

    access: Access | None = None
    infrastructure: Infrastructure | None = None
    secrets: SecretsSettings | None = None
