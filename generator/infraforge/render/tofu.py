"""OpenTofu's inputs per environment: `tofu/environments/<env>.tfvars.json`.

`tofu/` creates what the rendered tree assumes exists in AWS. Instead of restating the naming
convention, the AWS names are read off what was rendered: the IRSA roles the platform charts'
Helm values and the tenants' CloudNativePG clusters are annotated with, each with the namespace
and ServiceAccount it must trust and the backup prefix it writes to. Sizing comes from the
overlay's `spec.infrastructure`, the cluster name from the Platform document.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from types import MappingProxyType
from typing import Any

from infraforge.model.kinds import PlatformSpec
from infraforge.render.capabilities import database
from infraforge.render.capabilities.platform_values import vault_kms_alias
from infraforge.render.unit import UnitOutput
from infraforge.resolve.units import Unit

IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"
Role = dict[str, Any]


def tfvars_path(env: str) -> str:
    return f"{env}.tfvars.json"


def render_tfvars(env: str, platform: PlatformSpec, settings: dict[str, Any],
                  argocd: Sequence[dict[str, Any]], units: Sequence[Unit],
                  outputs: Sequence[UnitOutput],
                  dump: Callable[[dict[str, Any]], str] | None = None) -> bytes:
    """One environment's variables for the root module (sorted keys, so byte-stable); `dump`
    writes them as JSON (a memo's, in the tree)."""
    infra = settings["infrastructure"]
    roles = {**platform_roles(argocd), **database_roles(units, outputs)}
    unsealed = any(role["kms_unseal"] for role in roles.values())
    variables = {
        "environment": env,
        "cluster_name": next(e.cluster.name for e in platform.environments if e.name == env),
        "kubernetes_version": platform.kubernetesVersion.rsplit(".", 1)[0],
        "aws_account_id": infra["awsAccountId"],
        "aws_region": infra["awsRegion"],
        "vpc_cidr": infra["vpcCidr"],
        "nat_gateways": infra["natGateways"],
        "nodes": _node_group(infra["nodes"]),
        "database_nodes": _node_group(infra["databaseNodes"]),
        "vault": {"backend": infra["vaultBackend"],
                  "kms_key_alias": vault_kms_alias(env) if unsealed else None},
        "backup_bucket": infra["backupBucket"],
        "irsa_roles": roles,
    }
    return (dump or tfvars_json)(variables).encode()


def tfvars_json(variables: dict[str, Any]) -> str:
    return json.dumps(variables, indent=2, sort_keys=True) + "\n"


def _node_group(group: dict[str, Any]) -> dict[str, Any]:
    return {"count": group["count"], "instance_type": group["instanceType"],
            "capacity_type": group["capacityType"]}


def role(namespace: str, service_account: str, s3_prefix: str | None = None,
         kms_unseal: bool = False, volume_snapshots: bool = False) -> Role:
    """Who may assume the role (one ServiceAccount) and what it may do."""
    return {"namespace": namespace, "service_account": service_account, "s3_prefix": s3_prefix,
            "kms_unseal": kms_unseal, "volume_snapshots": volume_snapshots}


def _vault(namespace: str, values: dict[str, Any]) -> Role:
    # the chart's server ServiceAccount is named after the release
    return role(namespace, "vault", kms_unseal=True)


def _velero(namespace: str, values: dict[str, Any]) -> Role:
    configuration = values["configuration"]
    prefixes = {location["prefix"] for location in configuration["backupStorageLocation"]}
    if len(prefixes) != 1:
        raise ValueError(f"velero writes to {len(prefixes)} prefixes; tofu/ grants exactly one")
    return role(namespace, "velero-server", s3_prefix=prefixes.pop(),
                volume_snapshots=bool(configuration.get("volumeSnapshotLocation")))


# What each chart's IRSA role may do, by Helm release; a chart annotated with a role that is
# missing here fails the render (KeyError) rather than getting a role without permissions.
CHART_ROLES: MappingProxyType[str, Callable[[str, dict[str, Any]], Role]] = MappingProxyType({
    "vault": _vault,
    "velero": _velero,
})


def platform_roles(argocd: Sequence[dict[str, Any]]) -> dict[str, Role]:
    """IRSA roles named in the Helm values of the environment's platform Applications."""
    roles = {}
    for app in argocd:
        if app["kind"] != "Application":
            continue
        namespace = app["spec"]["destination"]["namespace"]
        for source in app["spec"].get("sources", []):
            helm = source.get("helm") or {}
            for arn in _annotated_roles(helm.get("valuesObject") or {}):
                roles[_role_name(arn)] = CHART_ROLES[helm["releaseName"]](
                    namespace, helm["valuesObject"])
    return roles


def database_roles(units: Sequence[Unit], outputs: Sequence[UnitOutput]) -> dict[str, Role]:
    """One backup role per tenant database that is backed up (it has a ScheduledBackup).

    Read from the units' rendered objects, not their settings, so cached units stay unmerged.
    """
    roles = {}
    for unit, output in zip(units, outputs, strict=True):
        if output.renders(database.API, "ScheduledBackup"):
            roles[database.backup_role_name(unit)] = role(
                unit.namespace, database.CLUSTER, s3_prefix=database.backup_prefix(unit))
    return roles


def _annotated_roles(values: Any) -> Iterator[str]:
    if isinstance(values, dict):
        for key, value in values.items():
            if key == IRSA_ANNOTATION:
                yield value
            else:
                yield from _annotated_roles(value)
    elif isinstance(values, list):
        for item in values:
            yield from _annotated_roles(item)


def _role_name(arn: str) -> str:
    return arn.rsplit(":role/", 1)[1]
