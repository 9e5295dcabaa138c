"""What one rendered object occupies: requested CPU and memory, claimed storage, instances.

Read from the objects as they are rendered, with each operator's own field names:
workloads are container requests × replicas (the minimum of the HPA or KEDA ScaledObject that
owns the count when the Deployment leaves replicas to it, else Kubernetes' default of 1); operator resources are their pod count × the
requests and volume size they declare. Init containers and node overhead are not counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from infraforge.cost.quantity import cores, gibibytes

ZERO = Fraction(0)


@dataclass(frozen=True)
class Usage:
    cpu: Fraction = ZERO       # vCPU requested
    memory: Fraction = ZERO    # GiB requested
    storage: Fraction = ZERO   # GiB claimed
    instances: dict[str, int] = field(default_factory=dict)  # capability → instances

    def __add__(self, other: Usage) -> Usage:
        instances = dict(self.instances)
        for name, count in other.instances.items():
            instances[name] = instances.get(name, 0) + count
        return Usage(self.cpu + other.cpu, self.memory + other.memory,
                     self.storage + other.storage, instances)

    def times(self, count: int) -> Usage:
        return Usage(self.cpu * count, self.memory * count, self.storage * count,
                     {name: n * count for name, n in self.instances.items() if n * count})


def _get(node: Any, *path: str) -> Any:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


Requests = tuple[Fraction, Fraction]  # (vCPU, GiB of memory) of one pod


def requests_of(requests: Any) -> Requests:
    """A `resources.requests` map as (vCPU, GiB)."""
    requests = requests if isinstance(requests, dict) else {}
    return cores(requests.get("cpu")), gibibytes(requests.get("memory"))


def pod_requests(pod_spec: Any) -> Requests:
    """Summed requests of a pod template's containers."""
    each = [requests_of(_get(c, "resources", "requests")) for c in _get(pod_spec, "containers")
            or []]
    return sum((cpu for cpu, _ in each), ZERO), sum((memory for _, memory in each), ZERO)


def pods(count: Any, requests: Requests, storage_per_pod: Fraction = ZERO,
         capability: str | None = None) -> Usage:
    """`count` pods, each requesting `requests` and claiming `storage_per_pod` GiB."""
    n = int(count or 0)
    cpu, memory = requests
    return Usage(cpu * n, memory * n, storage_per_pod * n, {capability: n} if capability and n
                 else {})


def claim_size(template: Any) -> Fraction:
    """GiB requested by a PVC spec (or a volumeClaimTemplate's spec)."""
    return gibibytes(_get(template, "resources", "requests", "storage"))


def workload(body: dict[str, Any], replicas: int) -> Usage:
    template = _get(body, "spec", "template", "spec")
    claims = sum((claim_size(_get(c, "spec")) for c in
                  _get(body, "spec", "volumeClaimTemplates") or []), ZERO)
    return pods(replicas, pod_requests(template), claims)


def cnpg_cluster(body: dict[str, Any]) -> Usage:
    spec = body.get("spec") or {}
    per_pod = gibibytes(_get(spec, "storage", "size")) + gibibytes(
        _get(spec, "walStorage", "size"))
    return pods(spec.get("instances", 1), requests_of(_get(spec, "resources", "requests")), per_pod,
                "database")


def cnpg_pooler(body: dict[str, Any]) -> Usage:
    spec = body.get("spec") or {}
    return pods(spec.get("instances", 1), pod_requests(_get(spec, "template", "spec")))


def rabbitmq(body: dict[str, Any]) -> Usage:
    spec = body.get("spec") or {}
    return pods(spec.get("replicas", 1), requests_of(_get(spec, "resources", "requests")),
                gibibytes(_get(spec, "persistence", "storage")), "messaging")


def minio_tenant(body: dict[str, Any]) -> Usage:
    total = Usage()
    for pool in _get(body, "spec", "pools") or []:
        per_server = claim_size(_get(pool, "volumeClaimTemplate", "spec")) * int(
            pool.get("volumesPerServer") or 1)
        total += pods(pool.get("servers", 1), requests_of(_get(pool, "resources", "requests")), per_server,
                      "objectStorage")
    return total


def redis(body: dict[str, Any]) -> Usage:
    spec = body.get("spec") or {}
    size = claim_size(_get(spec, "storage", "volumeClaimTemplate", "spec"))
    requests = requests_of(_get(spec, "kubernetesConfig", "resources", "requests"))
    kind = body.get("kind")
    if kind == "RedisCluster":
        size_default = spec.get("clusterSize", 1)
        count = sum(int(_get(spec, role, "replicas") or size_default)
                    for role in ("redisLeader", "redisFollower"))
    elif kind in ("RedisReplication", "RedisSentinel"):
        count = spec.get("clusterSize", 1)
    else:
        count = 1
    return pods(count, requests, size, "cache" if kind != "RedisSentinel" else None)


def persistent_volume_claim(body: dict[str, Any]) -> Usage:
    return Usage(storage=claim_size(body.get("spec")))


# (API group, kind) → usage; Deployments/StatefulSets need their HPA and go through `workload`.
OPERATOR_KINDS: dict[tuple[str, str], Callable[[dict[str, Any]], Usage]] = {
    ("postgresql.cnpg.io", "Cluster"): cnpg_cluster,
    ("postgresql.cnpg.io", "Pooler"): cnpg_pooler,
    ("rabbitmq.com", "RabbitmqCluster"): rabbitmq,
    ("minio.min.io", "Tenant"): minio_tenant,
    ("redis.redis.opstreelabs.in", "Redis"): redis,
    ("redis.redis.opstreelabs.in", "RedisCluster"): redis,
    ("redis.redis.opstreelabs.in", "RedisReplication"): redis,
    ("redis.redis.opstreelabs.in", "RedisSentinel"): redis,
    ("", "PersistentVolumeClaim"): persistent_volume_claim,
}
WORKLOAD_KINDS = frozenset({("apps", "Deployment"), ("apps", "StatefulSet")})
# Autoscalers own the replica count of their target: (field of the minimum, its default).
AUTOSCALERS = {("autoscaling", "HorizontalPodAutoscaler"): ("minReplicas", 1),
               ("keda.sh", "ScaledObject"): ("minReplicaCount", 0)}
COSTED_KINDS = frozenset({kind for _, kind in (*OPERATOR_KINDS, *WORKLOAD_KINDS, *AUTOSCALERS)})


def group_of(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""
