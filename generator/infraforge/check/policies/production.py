"""The platform's own promises for prod: no single replica, and backups for stateful data.

Stateful capability resources (CloudNativePG, RabbitMQ, MinIO, Redis) in a prod namespace need
a Velero Schedule covering that namespace, in the namespace itself or listing it in
spec.template.includedNamespaces (Velero's own layout keeps Schedules in its namespace).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from infraforge.check.objects import RenderedObject
from infraforge.check.policies.operators import CNPG_CLUSTER, is_stateful
from infraforge.check.policies.podspec import as_dict
from infraforge.check.policies.registry import Finding, rule
from infraforge.check.policies.tree import PolicyTree, group_of

PROD = "prod"
MIN_REPLICAS = 2
SCALED_KINDS = ("Deployment", "StatefulSet")


def in_prod(tree: PolicyTree, obj: RenderedObject) -> bool:
    scope = tree.scope(obj)
    return scope is not None and scope.environment == PROD


def is_postgres(obj: RenderedObject) -> bool:
    return (group_of(obj), obj.kind) == CNPG_CLUSTER


# autoscaler kind -> (its floor field, the floor when unset); KEDA may scale to zero
AUTOSCALERS = {("autoscaling", "HorizontalPodAutoscaler"): ("minReplicas", 1),
               ("keda.sh", "ScaledObject"): ("minReplicaCount", 0)}


def scale_target(autoscaler: RenderedObject) -> tuple[Any, ...]:
    target = as_dict(as_dict(autoscaler.body.get("spec")).get("scaleTargetRef"))
    return autoscaler.namespace, target.get("kind", "Deployment"), target.get("name")


def _count(value: Any, default: int = 1) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


@rule("POL-PROD-HA", "prod runs at least two replicas of every Deployment (or autoscaler floor) "
      "and of every CloudNativePG database", hint="raise replicas or scaling.minReplicas for "
      "prod, and database.instances to 2 or more")
def prod_ha(tree: PolicyTree) -> Iterator[Finding]:
    autoscalers = {scale_target(o): o for o in tree.objects
                   if (group_of(o), o.kind) in AUTOSCALERS}
    for obj in tree.objects:
        if not in_prod(tree, obj):
            continue
        if obj.kind in SCALED_KINDS:
            source = autoscalers.get((obj.namespace, obj.kind, obj.name), obj)
            field, default = AUTOSCALERS.get((group_of(source), source.kind), ("replicas", 1))
            count = _count(as_dict(source.body.get("spec")).get(field), default)
            if count < MIN_REPLICAS:
                yield Finding(source, f"spec.{field} is {count} in prod; at least "
                              f"{MIN_REPLICAS} are needed to survive a node loss")
        elif is_postgres(obj):
            count = _count(as_dict(obj.body.get("spec")).get("instances"))
            if count < MIN_REPLICAS:
                yield Finding(obj, f"spec.instances is {count} in prod; a database needs a "
                              "standby")


@rule("POL-PROD-BACKUP", "every prod namespace holding stateful capability data is covered "
      "by a Velero Schedule", hint="enable backup in the prod overlay (backup.enabled: true) "
      "so the compiler renders a Velero Schedule")
def prod_backup(tree: PolicyTree) -> Iterator[Finding]:
    covered = tree.facts.backups
    for namespace in tree.namespaces.values():
        if namespace.scope.environment != PROD or {namespace.name, "*"} & covered:
            continue
        stateful = [o for o in namespace.objects if is_stateful(o)]
        if stateful:
            yield Finding(stateful[0], f"namespace {namespace.name} holds {len(stateful)} "
                          "stateful resource(s) and no Velero Schedule covers it")
