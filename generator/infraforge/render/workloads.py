"""Per service: ServiceAccount, Deployment, Service and (when scaling) a HorizontalPodAutoscaler.

Pods run under the Pod Security `restricted` profile: non-root, no privilege escalation, all
capabilities dropped, RuntimeDefault seccomp, read-only root filesystem (with a writable /tmp).
"""

from __future__ import annotations

from typing import Any

from infraforge.render.meta import WAVE_WORKLOADS, annotate, obj, tenant_labels
from infraforge.resolve.units import ResolvedService, Unit

RUN_AS = 10001
SECRETS_SUFFIX = "-secrets"


def render_workloads(unit: Unit) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for service in unit.services:
        objects += [service_account(unit, service), deployment(unit, service),
                    kube_service(unit, service)]
        if service.settings["scaling"]["enabled"]:
            objects.append(autoscaler(unit, service))
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
        "template": {"metadata": {"labels": labels}, "spec": pod_spec(service)},
    }
    if not settings["scaling"]["enabled"]:
        # With an HPA the replica count belongs to the autoscaler, not to git.
        spec["replicas"] = settings["replicas"]
    return obj("apps/v1", "Deployment", service.name, unit.namespace, labels, service.file, spec)


def pod_spec(service: ResolvedService) -> dict[str, Any]:
    return {
        "serviceAccountName": service.name,
        "automountServiceAccountToken": False,
        "securityContext": {
            "runAsNonRoot": True, "runAsUser": RUN_AS, "runAsGroup": RUN_AS, "fsGroup": RUN_AS,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [container(service)],
        "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}}],
    }


def container(service: ResolvedService) -> dict[str, Any]:
    settings = service.settings
    ports = [{"name": "http", "containerPort": settings["port"], "protocol": "TCP"}]
    metrics = settings["metrics"]
    if metrics["enabled"] and metrics["port"] and metrics["port"] != settings["port"]:
        ports.append({"name": "metrics", "containerPort": metrics["port"], "protocol": "TCP"})
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
    env = environment(service)
    if env:
        result["env"] = env
    return result


def environment(service: ResolvedService) -> list[dict[str, Any]]:
    """Literal variables, then Vault-backed ones read from the service's synced Secret."""
    literal = [{"name": v["name"], "value": v["value"]} for v in service.settings["env"]]
    from_vault = [
        {"name": ref["name"], "valueFrom": {"secretKeyRef": {
            "name": service.name + SECRETS_SUFFIX, "key": ref["name"]}}}
        for ref in service.settings["secrets"]
    ]
    return sorted(literal, key=lambda v: v["name"]) + sorted(from_vault, key=lambda v: v["name"])


def kube_service(unit: Unit, service: ResolvedService) -> dict[str, Any]:
    ports = [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]
    if len(container(service)["ports"]) > 1:
        ports.append({"name": "metrics", "port": service.settings["metrics"]["port"],
                      "targetPort": "metrics", "protocol": "TCP"})
    spec = {"type": "ClusterIP", "selector": selector_labels(service), "ports": ports}
    return obj("v1", "Service", service.name, unit.namespace, service_labels(unit, service),
               service.file, spec)


def autoscaler(unit: Unit, service: ResolvedService) -> dict[str, Any]:
    scaling = service.settings["scaling"]
    spec = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": service.name},
        "minReplicas": scaling["minReplicas"],
        "maxReplicas": max(scaling["maxReplicas"], scaling["minReplicas"]),
        "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
            "type": "Utilization", "averageUtilization": scaling["targetCPUUtilization"]}}}],
    }
    return obj("autoscaling/v2", "HorizontalPodAutoscaler", service.name, unit.namespace,
               service_labels(unit, service), service.file, spec)


def _probe(probe: dict[str, Any]) -> dict[str, Any]:
    return {"httpGet": {"path": probe["path"], "port": "http"},
            "initialDelaySeconds": probe["initialDelaySeconds"],
            "periodSeconds": probe["periodSeconds"]}
