"""What every capability module shares: custom-resource heads, fixed instance names, pod groups.

Each capability runs as one instance per tenant namespace with a fixed name, so names never come
from the catalog and cannot collide across tenants (the namespace is the tenant boundary).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from infraforge.render.meta import SYNC_OPTIONS, SYNC_WAVE, obj, tenant_labels

if TYPE_CHECKING:
    from infraforge.resolve.units import ResolvedService, Unit

# ArgoCD cannot dry-run a custom resource whose CRD is not installed yet (the operator's own
# Application may still be syncing); the sync then retries instead of failing up front.
SKIP_DRY_RUN = "SkipDryRunOnMissingResource=true"
CAPABILITIES = ("database", "cache", "messaging", "objectStorage")


@dataclass(frozen=True)
class PodGroup:
    """Pods an operator creates for a capability, and exactly the traffic they need.

    `selector` is the label selector the operator puts on those pods; `client_ports` are the
    ports services connect to (empty: not an entry point); `operator_ports` maps a platform
    component (its namespace) to the ports it reaches; `api_egress` means the pods talk to the
    Kubernetes API or to S3, both reached inside the VPC.
    """

    name: str
    selector: dict[str, Any]
    client_ports: tuple[int, ...] = ()
    operator_ports: tuple[tuple[str, tuple[int, ...]], ...] = ()
    api_egress: bool = False


def custom_resource(unit: Unit, api_version: str, kind: str, name: str, source: str,
                    spec: dict[str, Any], wave: str, namespace: str | None = None
                    ) -> dict[str, Any]:
    """A custom resource of the tenant (in its namespace unless told), ordered by `wave`,
    safe to apply before its CRD exists."""
    item = obj(api_version, kind, name, namespace or unit.namespace,
               tenant_labels(unit.tenant, unit.environment), source, spec)
    item["metadata"]["annotations"].update({SYNC_WAVE: wave, SYNC_OPTIONS: SKIP_DRY_RUN})
    return item


def queue_scaled(service: ResolvedService) -> bool:
    scaling = service.settings["scaling"]
    return bool(scaling["enabled"]) and scaling["mode"] == "queue"


def enabled(unit: Unit, capability: str) -> bool:
    return bool(unit.settings[capability]["enabled"])


def source_of(unit: Unit, *path: str) -> str:
    """The catalog file that set the value at `path` (the last layer setting it)."""
    for layer in reversed(unit.layers):
        if layer.sets(path):
            return layer.source
    return unit.tenant_file


def enabling_file(unit: Unit, capability: str) -> str:
    """The catalog file that switched the capability on."""
    return source_of(unit, capability, "enabled")


def clients(unit: Unit, capability: str) -> list[ResolvedService]:
    return [s for s in unit.services if capability in s.settings.get("uses", ())]


def compute(resources: dict[str, Any]) -> dict[str, Any]:
    """Requests/limits as Kubernetes quantities (YAML may have given the cpu as a number)."""
    return {part: {name: str(value) for name, value in values.items()}
            for part, values in resources.items() if values}


def literal(name: str, value: str) -> dict[str, Any]:
    return {"name": name, "value": value}


def from_secret(name: str, secret: str, key: str) -> dict[str, Any]:
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}


def anti_affinity(mode: str, labels: dict[str, str]) -> dict[str, Any] | None:
    """Spread a capability's pods over nodes: `required` refuses to co-locate, `preferred` tries."""
    term = {"labelSelector": {"matchLabels": labels}, "topologyKey": "kubernetes.io/hostname"}
    if mode == "required":
        return {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}
    if mode == "preferred":
        return {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 100, "podAffinityTerm": term}]}}
    return None


def pvc_template(size: str, storage_class: str) -> dict[str, Any]:
    return {"accessModes": ["ReadWriteOnce"], "storageClassName": storage_class,
            "resources": {"requests": {"storage": size}}}


# Pod Security `restricted` for operator-created pods (tenant namespaces enforce it)
RESTRICTED_POD = {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
RESTRICTED_CONTAINER = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]},
                        "runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
