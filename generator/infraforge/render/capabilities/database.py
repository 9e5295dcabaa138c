"""database → a CloudNativePG `Cluster` named `postgres` in the tenant namespace.

Sized by the overlay (instances, volume, anti-affinity); with backups on, WAL and base backups go
to S3 through IRSA (`barmanObjectStore`) and a `ScheduledBackup` takes the nightly base backup;
with the pooler on, a PgBouncer `Pooler` stands in front of the primary and services connect
through it. A service that declares `database: {name: ...}` gets its own database, owned by its
own login role whose password ESO generates; the others share the bootstrap database `app`,
whose credentials CNPG writes to the `postgres-app` Secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infraforge.render.capabilities.common import (
    PodGroup,
    clients,
    compute,
    custom_resource,
    enabling_file,
    from_secret,
    literal,
)
from infraforge.render.capabilities.secrets import PASSWORD, generated_secret
from infraforge.render.meta import WAVE_CAPABILITIES, WAVE_CAPABILITY_CONFIG, tenant_labels

if TYPE_CHECKING:
    from infraforge.resolve.units import ResolvedService, Unit

API = "postgresql.cnpg.io/v1"
CLUSTER = "postgres"
APP_SECRET = f"{CLUSTER}-app"  # written by CNPG: username, password, host, port, dbname, uri, ...
PRIMARY_SERVICE = f"{CLUSTER}-rw"
POOLER = f"{CLUSTER}-pooler-rw"  # the Pooler's name is also its Service's name
PORT = 5432
STATUS_PORT = 8000  # the instance manager's endpoint the operator polls
IMAGE = "ghcr.io/cloudnative-pg/postgresql:{version}"


def render(unit: Unit) -> list[dict[str, Any]]:
    settings, source = unit.settings["database"], enabling_file(unit, "database")
    declared = declared_databases(unit)
    objects = [cluster(unit, settings, declared, source)]
    if unit.settings["backup"]["enabled"]:
        objects.append(scheduled_backup(unit, source))
    if settings["pooler"]["enabled"]:
        objects.append(pooler(unit, settings["pooler"], source))
    for service, name in declared:
        objects.append(generated_secret(
            unit, role_secret(service), service.file,
            {"username": role_name(service), "password": PASSWORD}, "kubernetes.io/basic-auth"))
        objects.append(custom_resource(
            unit, API, "Database", f"{CLUSTER}-{name.replace('_', '-')}", service.file,
            {"cluster": {"name": CLUSTER}, "name": name, "owner": role_name(service),
             "ensure": "present", "databaseReclaimPolicy": "retain"}, WAVE_CAPABILITY_CONFIG))
    return objects


def declared_databases(unit: Unit) -> list[tuple[ResolvedService, str]]:
    return [(s, s.settings["database"]["name"]) for s in clients(unit, "database")
            if s.settings.get("database")]


def role_name(service: ResolvedService) -> str:
    return service.name.replace("-", "_")


def role_secret(service: ResolvedService) -> str:
    return f"{service.name}-db"


def backup_role_name(unit: Unit) -> str:
    """The IAM role CNPG assumes to write backups (created by tofu/ under this name)."""
    return f"pg-backup-{unit.namespace}"


def backup_prefix(unit: Unit) -> str:
    """Where in the backup bucket this tenant's database writes (its role may write only here)."""
    return f"postgres/{unit.environment}/{unit.tenant}"


def cluster(unit: Unit, settings: dict[str, Any], declared: list[tuple[ResolvedService, str]],
            source: str) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "instances": settings["instances"],
        "imageName": IMAGE.format(version=settings["version"]),
        "primaryUpdateStrategy": "unsupervised",
        "storage": {"size": settings["size"], "storageClass": settings["storageClass"]},
        "resources": compute(settings["resources"]),
        "affinity": _affinity(settings["antiAffinity"],
                              unit.settings["infrastructure"]["databaseNodes"]["count"] > 0),
        "bootstrap": {"initdb": {"database": "app", "owner": "app"}},
        "inheritedMetadata": {"labels": tenant_labels(unit.tenant, unit.environment)},
        "monitoring": {"enablePodMonitor": unit.settings["monitoring"]["enabled"]},
    }
    if declared:
        spec["managed"] = {"roles": [
            {"name": role_name(s), "ensure": "present", "login": True, "inherit": True,
             "passwordSecret": {"name": role_secret(s)}} for s, _ in declared]}
    if unit.settings["backup"]["enabled"]:
        spec["backup"] = _backup(unit)
        infra = unit.settings["infrastructure"]
        arn = f"arn:aws:iam::{infra['awsAccountId']}:role/{backup_role_name(unit)}"
        spec["serviceAccountTemplate"] = {"metadata": {"annotations": {
            "eks.amazonaws.com/role-arn": arn}}}
    return custom_resource(unit, API, "Cluster", CLUSTER, source, spec, WAVE_CAPABILITIES)


# The dedicated database node group (tofu/modules/eks) carries this label and a NoSchedule
# taint: only database pods may run there. They prefer it rather than require it, because a
# cluster may have more instances (3 in prod) than there are database nodes (2), and required
# anti-affinity would leave the extra instance pending; it runs on a general node instead.
NODE_POOL_LABEL = "infraforge.io/node-pool"
DATABASE_POOL = "database"


def _affinity(mode: str, database_nodes: bool) -> dict[str, Any]:
    affinity: dict[str, Any] = {"enablePodAntiAffinity": False}
    if mode != "none":
        affinity = {"enablePodAntiAffinity": True, "podAntiAffinityType": mode,
                    "topologyKey": "kubernetes.io/hostname"}
    if database_nodes:
        affinity["nodeAffinity"] = {"preferredDuringSchedulingIgnoredDuringExecution": [{
            "weight": 100, "preference": {"matchExpressions": [
                {"key": NODE_POOL_LABEL, "operator": "In", "values": [DATABASE_POOL]}]}}]}
        affinity["tolerations"] = [{"key": NODE_POOL_LABEL, "operator": "Equal",
                                    "value": DATABASE_POOL, "effect": "NoSchedule"}]
    return affinity


def _backup(unit: Unit) -> dict[str, Any]:
    bucket = unit.settings["infrastructure"]["backupBucket"]
    return {
        "retentionPolicy": f"{unit.settings['backup']['retentionDays']}d",
        "barmanObjectStore": {
            "destinationPath": f"s3://{bucket}/{backup_prefix(unit)}",
            "s3Credentials": {"inheritFromIAMRole": True},
            "wal": {"compression": "gzip"},
            "data": {"compression": "gzip"},
        },
    }


def scheduled_backup(unit: Unit, source: str) -> dict[str, Any]:
    # CNPG's cron has a leading seconds field; the overlay's schedule is the 5-field form.
    spec = {"schedule": "0 " + unit.settings["backup"]["schedule"],
            "cluster": {"name": CLUSTER}, "method": "barmanObjectStore",
            "backupOwnerReference": "self", "immediate": True}
    return custom_resource(unit, API, "ScheduledBackup", f"{CLUSTER}-nightly", source, spec,
                           WAVE_CAPABILITY_CONFIG)


def pooler(unit: Unit, settings: dict[str, Any], source: str) -> dict[str, Any]:
    spec = {"cluster": {"name": CLUSTER}, "instances": settings["instances"], "type": "rw",
            "pgbouncer": {"poolMode": settings["poolMode"], "parameters": {
                "max_client_conn": str(settings["maxClientConnections"]),
                "default_pool_size": str(settings["defaultPoolSize"])}},
            "monitoring": {"enablePodMonitor": unit.settings["monitoring"]["enabled"]}}
    return custom_resource(unit, API, "Pooler", POOLER, source, spec, WAVE_CAPABILITY_CONFIG)


def host(unit: Unit) -> str:
    return POOLER if unit.settings["database"]["pooler"]["enabled"] else PRIMARY_SERVICE


def env(unit: Unit, service: ResolvedService) -> list[dict[str, Any]]:
    declared = service.settings.get("database")
    secret = role_secret(service) if declared else APP_SECRET
    name = (literal("DB_NAME", declared["name"]) if declared
            else from_secret("DB_NAME", APP_SECRET, "dbname"))
    return [literal("DB_HOST", host(unit)), literal("DB_PORT", str(PORT)), name,
            from_secret("DB_USER", secret, "username"),
            from_secret("DB_PASSWORD", secret, "password")]


def pod_groups(unit: Unit) -> tuple[PodGroup, ...]:
    pooled = unit.settings["database"]["pooler"]["enabled"]
    instances = PodGroup("database", {"matchLabels": {"cnpg.io/cluster": CLUSTER}},
                         client_ports=() if pooled else (PORT,),
                         operator_ports=(("cloudnative-pg", (STATUS_PORT,)),), api_egress=True)
    if not pooled:
        return (instances,)
    return (instances, PodGroup("database-pooler", {"matchLabels": {"cnpg.io/poolerName": POOLER}},
                                client_ports=(PORT,), api_egress=True))
