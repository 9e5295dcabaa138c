"""Per service: ServiceAccount, Deployment, Service and, when scaling, what scales it (an HPA, or
KEDA objects for queue-based scaling; see capabilities/scaling.py).

Pods run under the Pod Security `restricted` profile: non-root, no privilege escalation, all
capabilities dropped, RuntimeDefault seccomp, read-only root filesystem (with a writable /tmp).
Pods carry `infraforge.io/workload: <service>`, which the NetworkPolicies select them by, and the
environment variables of every capability the service uses (capabilities/wiring.py).
"""

from __future__ import annotations

from typing import Any

from infraforge.render.capabilities.network import WORKLOAD_LABEL
from infraforge.render.capabilities.scaling import autoscalers
from infraforge.render.capabilities.secrets import service_secret_name
from infraforge.render.capabilities.wiring import capability_env
from infraforge.render.meta import WAVE_WORKLOADS, annotate, obj, tenant_labels
from infraforge.resolve.units import ResolvedService, Unit

RUN_AS = 10001


def render_workloads(unit: Unit) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for service in unit.services:
        objects += [service_account(unit, service), deployment(unit, service),
                    kube_service(unit, service)]
        if service.settings["scaling"]["enabled"]:
            objects += autoscalers(unit, service, service_labels(unit, service))
    return [annotate(item, **{"argocd.argoproj.io/sync-wave": WAVE_WORKLOADS}) for item in objects]


def service_labels(unit: Unit, service: ResolvedService) -> dict[str, str]:
    labels = tenant_labels(unit.tenant, unit.environment)
    labels.update(selector_labels(service))
    labels["backstage.io/kubernetes-id"] = f"{unit.tenant}-{service.name}"
    return labels


def selector_labels(service: ResolvedService) -> dict[str, str]:
    return {"app.kubernetes.io/name": service.name}


def service_account(unit: Unit, service: ResolvedService) -> dict[str, Any]:
    return obj("v1", "ServiceAccount", service.name, unit.namespace,
               service_labels(unit, service), service.file, automountServiceAccountToken=False)


def deployment(unit: Unit, service: ResolvedService) -> dict[str, Any]:
    settings = service.settings
    labels = service_labels(unit, service)
    spec: dict[str, Any] = {
        "selector": {"matchLabels": selector_labels(service)},
        "revisionHistoryLimit": 5,
        "template": {"metadata": {"labels": {**labels, WORKLOAD_LABEL: service.name}},
                     "spec": pod_spec(unit, service)},
    }
    if not settings["scaling"]["enabled"]:
        # With an autoscaler the replica count belongs to it, not to git.
        spec["replicas"] = settings["replicas"]
    return obj("apps/v1", "Deployment", service.name, unit.namespace, labels, service.file, spec)


def pod_spec(unit: Unit, service: ResolvedService) -> dict[str, Any]:
    return {
        "serviceAccountName": service.name,
        "automountServiceAccountToken": False,
        "securityContext": {
            "runAsNonRoot": True, "runAsUser": RUN_AS, "runAsGroup": RUN_AS, "fsGroup": RUN_AS,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [container(unit, service)],
        "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}}],
    }


def has_metrics_port(service: ResolvedService) -> bool:
    metrics, port = service.settings["metrics"], service.settings["port"]
    return bool(metrics["enabled"] and metrics["port"] and metrics["port"] != port)


def metrics_port_name(service: ResolvedService) -> str:
    """The named port metrics are scraped from: their own, or the main one."""
    return "metrics" if has_metrics_port(service) else "http"


def container(unit: Unit, service: ResolvedService) -> dict[str, Any]:
    settings = service.settings
    ports = [{"name": "http", "containerPort": settings["port"], "protocol": "TCP"}]
    if has_metrics_port(service):
        ports.append({"name": "metrics", "containerPort": settings["metrics"]["port"],
                      "protocol": "TCP"})
    result: dict[str, Any] = {
        "name": service.name,
        "image": settings["image"],
        "imagePullPolicy": "IfNotPresent",
        "ports": ports,
        "resources": settings["resources"],
        "livenessProbe": _probe(settings["probes"]["liveness"]),
        "readinessProbe": _probe(settings["probes"]["readiness"]),
        "securityContext": {
            "allowPrivilegeEscalation": False, "privileged": False,
            "readOnlyRootFilesystem": True, "runAsNonRoot": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    env = environment(unit, service)
    if env:
        result["env"] = env
    return result


def environment(unit: Unit, service: ResolvedService) -> list[dict[str, Any]]:
    """Literal variables, the capabilities' connection settings, then Vault-backed variables
    read from the service's synced Secret (key = variable name)."""
    literal = [{"name": v["name"], "value": v["value"]} for v in service.settings["env"]]
    from_vault = [
        {"name": ref["name"], "valueFrom": {"secretKeyRef": {
            "name": service_secret_name(service), "key": ref["name"]}}}
        for ref in service.settings["secrets"]
    ]
    return (sorted(literal, key=lambda v: v["name"]) + capability_env(unit, service)
            + sorted(from_vault, key=lambda v: v["name"]))


def kube_service(unit: Unit, service: ResolvedService) -> dict[str, Any]:
    ports = [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]
    if has_metrics_port(service):
        ports.append({"name": "metrics", "port": service.settings["metrics"]["port"],
                      "targetPort": "metrics", "protocol": "TCP"})
    spec = {"type": "ClusterIP", "selector": selector_labels(service), "ports": ports}
    return obj("v1", "Service", service.name, unit.namespace, service_labels(unit, service),
               service.file, spec)


def _probe(probe: dict[str, Any]) -> dict[str, Any]:
    return {"httpGet": {"path": probe["path"], "port": "http"},
            "initialDelaySeconds": probe["initialDelaySeconds"],
            "periodSeconds": probe["periodSeconds"]}
