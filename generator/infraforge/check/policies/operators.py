"""What the operators behind the capabilities create: which kinds hold state, and which labels
their pods carry (so a NetworkPolicy selecting database pods is known to select something).

Pod labels are the operators' documented ones: CloudNativePG `cnpg.io/cluster` (poolers
`cnpg.io/poolerName`), the RabbitMQ
cluster operator `app.kubernetes.io/name` + `component: rabbitmq`, MinIO `v1.min.io/tenant`,
the Redis operator `app: <name>[-leader|-follower]`. Only these keys are known, so matching
against them is partial (see network.py).
"""

from __future__ import annotations

from infraforge.check.objects import RenderedObject
from infraforge.check.policies.tree import group_of

CNPG_CLUSTER = ("postgresql.cnpg.io", "Cluster")
STATEFUL = (CNPG_CLUSTER, ("rabbitmq.com", "RabbitmqCluster"), ("minio.min.io", "Tenant"))
REDIS_GROUP_MARK = "redis"


def is_stateful(obj: RenderedObject) -> bool:
    return (group_of(obj), obj.kind) in STATEFUL or _is_redis(obj)


def _is_redis(obj: RenderedObject) -> bool:
    return obj.kind.startswith("Redis") and REDIS_GROUP_MARK in group_of(obj)


OPERATOR_KINDS = frozenset({"Cluster", "Pooler", "RabbitmqCluster", "Tenant"})


def operator_pod_labels(obj: RenderedObject) -> list[dict[str, str]]:
    """The (known) labels of the pods an operator runs for `obj`; empty for other kinds."""
    if obj.kind not in OPERATOR_KINDS and not obj.kind.startswith("Redis"):
        return []
    kind, name = (group_of(obj), obj.kind), obj.name
    if kind == CNPG_CLUSTER:
        return [{"cnpg.io/cluster": name}]
    if kind == ("postgresql.cnpg.io", "Pooler"):
        return [{"cnpg.io/poolerName": name}]
    if kind == ("rabbitmq.com", "RabbitmqCluster"):
        return [{"app.kubernetes.io/name": name, "app.kubernetes.io/component": "rabbitmq"}]
    if kind == ("minio.min.io", "Tenant"):
        return [{"v1.min.io/tenant": name}]
    if _is_redis(obj) and obj.kind == "RedisCluster":
        return [{"app": f"{name}-leader"}, {"app": f"{name}-follower"}]
    if _is_redis(obj):
        return [{"app": name}]
    return []
