"""cache → Redis through the OT redis-operator, named `redis` in the tenant namespace.

`mode: standalone` is one `Redis` pod (dev: no volume, data is disposable); `mode: cluster` is a
`RedisCluster` of `clusterSize` leaders, each with a follower (prod: persistent). Either way the
server requires the password ESO generates into `redis-auth`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infraforge.render.capabilities.common import (
    RESTRICTED_CONTAINER,
    RESTRICTED_POD,
    PodGroup,
    compute,
    custom_resource,
    enabling_file,
    from_secret,
    literal,
    pvc_template,
)
from infraforge.render.capabilities.secrets import PASSWORD, generated_secret
from infraforge.render.meta import WAVE_CAPABILITIES

if TYPE_CHECKING:
    from infraforge.resolve.units import ResolvedService, Unit

API = "redis.redis.opstreelabs.in/v1beta2"
NAME = "redis"
AUTH_SECRET = "redis-auth"
PORT = 6379
IMAGE = "quay.io/opstree/redis:{version}"
REDIS_UID = 1000  # the image's redis user


def render(unit: Unit) -> list[dict[str, Any]]:
    settings, source = unit.settings["cache"], enabling_file(unit, "cache")
    server = _cluster(settings) if settings["mode"] == "cluster" else _standalone(settings)
    kind = "RedisCluster" if settings["mode"] == "cluster" else "Redis"
    return [generated_secret(unit, AUTH_SECRET, source, {"password": PASSWORD}),
            custom_resource(unit, API, kind, NAME, source, server, WAVE_CAPABILITIES)]


def _common(settings: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "kubernetesConfig": {
            "image": IMAGE.format(version=settings["version"]),
            "imagePullPolicy": "IfNotPresent",
            "resources": compute(settings["resources"]),
            "redisSecret": {"name": AUTH_SECRET, "key": "password"},
        },
        "podSecurityContext": {**RESTRICTED_POD, "runAsUser": REDIS_UID, "fsGroup": REDIS_UID},
    }
    if settings["persistence"]:
        spec["storage"] = {"volumeClaimTemplate": {"spec": pvc_template(
            settings["size"], settings["storageClass"])}}
    return spec


def _standalone(settings: dict[str, Any]) -> dict[str, Any]:
    return {**_common(settings), "securityContext": RESTRICTED_CONTAINER}


def _cluster(settings: dict[str, Any]) -> dict[str, Any]:
    role = {"replicas": settings["clusterSize"], "securityContext": RESTRICTED_CONTAINER}
    return {**_common(settings), "clusterSize": settings["clusterSize"], "clusterVersion": "v7",
            "persistenceEnabled": settings["persistence"],
            "redisLeader": dict(role), "redisFollower": dict(role)}


def host(unit: Unit) -> str:
    # A RedisCluster is reached through its leaders' Service; clients follow MOVED redirects.
    return f"{NAME}-leader" if unit.settings["cache"]["mode"] == "cluster" else NAME


def env(unit: Unit, service: ResolvedService) -> list[dict[str, Any]]:
    return [literal("REDIS_HOST", host(unit)), literal("REDIS_PORT", str(PORT)),
            literal("REDIS_MODE", unit.settings["cache"]["mode"]),
            from_secret("REDIS_PASSWORD", AUTH_SECRET, "password")]


def pod_groups(unit: Unit) -> tuple[PodGroup, ...]:
    if unit.settings["cache"]["mode"] == "cluster":
        selector: dict[str, Any] = {"matchExpressions": [{
            "key": "app", "operator": "In", "values": [f"{NAME}-leader", f"{NAME}-follower"]}]}
    else:
        selector = {"matchLabels": {"app": NAME, "redis_setup_type": "standalone"}}
    # the operator itself connects to the servers (cluster creation, failover checks)
    return (PodGroup("cache", selector, client_ports=(PORT,),
                     operator_ports=(("redis-operator", (PORT,)),)),)
