"""scaling → a HorizontalPodAutoscaler on CPU by default; with `mode: queue`, a KEDA
`ScaledObject` on the length of a RabbitMQ queue instead (KEDA then owns the HPA, so InfraForge
renders none). KEDA reads the queue as the service's own RabbitMQ user, through a
`TriggerAuthentication` over `<service>-rabbitmq`: no credentials in the trigger itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infraforge.render.capabilities import messaging
from infraforge.render.capabilities.common import custom_resource, queue_scaled
from infraforge.render.meta import WAVE_WORKLOADS, obj

if TYPE_CHECKING:
    from infraforge.resolve.units import ResolvedService, Unit

KEDA_API = "keda.sh/v1alpha1"


def autoscalers(unit: Unit, service: ResolvedService,
                labels: dict[str, str]) -> list[dict[str, Any]]:
    """What scales the service's Deployment (only called when scaling is enabled)."""
    if queue_scaled(service):
        return [trigger_authentication(unit, service), scaled_object(unit, service)]
    return [horizontal_autoscaler(unit, service, labels)]


def _target(service: ResolvedService) -> dict[str, str]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "name": service.name}


def horizontal_autoscaler(unit: Unit, service: ResolvedService,
                          labels: dict[str, str]) -> dict[str, Any]:
    scaling = service.settings["scaling"]
    spec = {
        "scaleTargetRef": _target(service),
        "minReplicas": scaling["minReplicas"],
        "maxReplicas": max(scaling["maxReplicas"], scaling["minReplicas"]),
        "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
            "type": "Utilization", "averageUtilization": scaling["targetCPUUtilization"]}}}],
    }
    return obj("autoscaling/v2", "HorizontalPodAutoscaler", service.name, unit.namespace,
               labels, service.file, spec)


def trigger_authentication(unit: Unit, service: ResolvedService) -> dict[str, Any]:
    secret = messaging.user_secret(service)
    spec = {"secretTargetRef": [{"parameter": key, "name": secret, "key": key}
                                for key in ("username", "password")]}
    return custom_resource(unit, KEDA_API, "TriggerAuthentication", service.name, service.file,
                           spec, WAVE_WORKLOADS)


def scaled_object(unit: Unit, service: ResolvedService) -> dict[str, Any]:
    scaling = service.settings["scaling"]
    vhost = messaging.vhost_of(unit, service)
    host = f"amqp://{messaging.NAME}.{unit.namespace}.svc:{messaging.AMQP_PORT}/{vhost}"
    trigger = {"type": "rabbitmq", "name": scaling["queue"],
               "metadata": {"protocol": "amqp", "host": host, "vhostName": vhost,
                            "queueName": scaling["queue"], "mode": "QueueLength",
                            "value": str(scaling["queueLength"])},
               "authenticationRef": {"name": service.name}}
    spec = {
        "scaleTargetRef": _target(service),
        "minReplicaCount": scaling["minReplicas"],
        "maxReplicaCount": max(scaling["maxReplicas"], scaling["minReplicas"]),
        "pollingInterval": scaling["pollingInterval"],
        "cooldownPeriod": scaling["cooldownPeriod"],
        "triggers": [trigger],
    }
    return custom_resource(unit, KEDA_API, "ScaledObject", service.name, service.file, spec,
                           WAVE_WORKLOADS)
