"""One rendered document's contribution to cost, computed once per distinct text.

Both sides of a diff share most documents of a changed file, and a changed autoscaler does not
change its Deployment's text: keeping the per-document result by text means each distinct
document is parsed once per run, however many estimates read it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from infraforge.cost.usage import (
    AUTOSCALERS,
    COSTED_KINDS,
    OPERATOR_KINDS,
    WORKLOAD_KINDS,
    Usage,
    group_of,
    workload,
)
from infraforge.diff.documents import parse_yaml

_KIND = re.compile(r"^kind: *([A-Za-z]+)\s*$", re.MULTILINE)
# Nested values no cost depends on: not even read (a pod spec is mostly these)
UNREAD = frozenset({"annotations", "labels", "env", "envFrom", "livenessProbe", "readinessProbe",
                    "startupProbe", "securityContext", "podSecurityContext", "ports",
                    "volumeMounts", "volumes", "affinity", "tolerations", "nodeSelector",
                    "topologySpreadConstraints", "selector", "metrics", "triggers", "behavior",
                    "override", "backup", "managed", "bootstrap", "postgresql", "pgbouncer",
                    "rabbitmq", "tls", "features", "configuration", "buckets", "users"})
ObjectKey = tuple[str, str, str]  # namespace, kind, name


@dataclass(frozen=True)
class CostedObject:
    usage: Usage                     # per replica for a workload, the whole object otherwise
    identity: ObjectKey
    replicas: int | None = None      # a workload's spec.replicas; None: an autoscaler owns it
    is_workload: bool = False
    scales: ObjectKey | None = None  # an autoscaler's target…
    minimum: int = 0                 # …and its floor


@functools.lru_cache(maxsize=32768)
def costed_object(text: str) -> CostedObject | None:
    """None for documents that cost nothing by themselves (most of them: not even parsed)."""
    found = _KIND.search(text)
    if found is None or found.group(1) not in COSTED_KINDS:
        return None
    body = parse_yaml(text, skip=UNREAD)
    if not isinstance(body, dict):
        return None
    kind = (group_of(str(body.get("apiVersion", ""))), str(body.get("kind", "")))
    meta, spec = body.get("metadata") or {}, body.get("spec") or {}
    identity = (str(meta.get("namespace", "")), kind[1], str(meta.get("name")))
    if kind in WORKLOAD_KINDS:
        replicas = spec.get("replicas")
        return CostedObject(workload(body, 1), identity, replicas if replicas is None else
                            int(replicas), is_workload=True)
    if kind in AUTOSCALERS:
        return CostedObject(Usage(), identity, scales=_target(identity[0], spec),
                            minimum=_minimum(kind, spec))
    if kind in OPERATOR_KINDS:
        return CostedObject(OPERATOR_KINDS[kind](body), identity)
    return None


def _minimum(kind: tuple[str, str], spec: dict[str, Any]) -> int:
    field, default = AUTOSCALERS[kind]
    value = spec.get(field)
    return default if value is None else int(value)


def _target(namespace: str, spec: dict[str, Any]) -> ObjectKey:
    ref = spec.get("scaleTargetRef") or {}
    return namespace, str(ref.get("kind") or "Deployment"), str(ref.get("name"))
