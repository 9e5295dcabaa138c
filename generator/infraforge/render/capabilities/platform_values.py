"""Helm values of each platform component, per environment, from the overlay's settings.

Only what the environment table decides is set here (Vault's storage and unsealing, Velero's
bucket, Grafana, selector behaviour); everything else is the chart's own default at the pinned
version. AWS identities follow the naming convention in docs/capabilities.md.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any

Settings = dict[str, Any]

LISTENER = ('listener "tcp" {\n  address = "[::]:8200"\n  cluster_address = "[::]:8201"\n'
            '  tls_disable = 1\n}\n')
VELERO_AWS_PLUGIN = "velero/velero-plugin-for-aws:v1.12.1"


def aws_role_arn(settings: Settings, name: str) -> str:
    return f"arn:aws:iam::{settings['infrastructure']['awsAccountId']}:role/{name}"


def platform_role(env: str, component: str) -> str:
    """The IAM role a platform component assumes through IRSA (created by tofu/)."""
    return f"infraforge-{env}-{component}"


def vault_kms_alias(env: str) -> str:
    return f"alias/infraforge-{env}-vault"


def _vault(env: str, settings: Settings) -> dict[str, Any]:
    infra = settings["infrastructure"]
    if infra["vaultBackend"] == "file":
        config = f'ui = true\n{LISTENER}storage "file" {{\n  path = "/vault/data"\n}}\n'
        server: dict[str, Any] = {"standalone": {"enabled": True, "config": config},
                                  "dataStorage": {"enabled": True, "size": "10Gi"}}
        return {"injector": {"enabled": False}, "server": server}
    config = (f'ui = true\n{LISTENER}storage "raft" {{\n  path = "/vault/data"\n'
              '  retry_join {\n    leader_api_addr = "http://vault-0.vault-internal:8200"\n  }\n'
              '}\nservice_registration "kubernetes" {}\n')
    server = {"standalone": {"enabled": False},
              "ha": {"enabled": True, "replicas": infra["vaultReplicas"],
                     "raft": {"enabled": True, "setNodeId": True}}}
    if infra["vaultAutoUnseal"]:
        config += (f'seal "awskms" {{\n  region = "{infra["awsRegion"]}"\n'
                   f'  kms_key_id = "{vault_kms_alias(env)}"\n}}\n')
        server["serviceAccount"] = {"annotations": {
            "eks.amazonaws.com/role-arn": aws_role_arn(settings, platform_role(env, "vault"))}}
    server["ha"]["raft"]["config"] = config
    return {"injector": {"enabled": False}, "server": server}


def _velero(env: str, settings: Settings) -> dict[str, Any]:
    infra = settings["infrastructure"]
    region = {"region": infra["awsRegion"]}
    return {
        "initContainers": [{"name": "velero-plugin-for-aws", "image": VELERO_AWS_PLUGIN,
                            "volumeMounts": [{"mountPath": "/target", "name": "plugins"}]}],
        "configuration": {
            "backupStorageLocation": [{"name": "default", "provider": "aws",
                                       "bucket": infra["backupBucket"], "prefix": f"velero/{env}",
                                       "config": region}],
            "volumeSnapshotLocation": [{"name": "default", "provider": "aws", "config": region}],
        },
        "credentials": {"useSecret": False},
        "serviceAccount": {"server": {"annotations": {
            "eks.amazonaws.com/role-arn": aws_role_arn(settings, platform_role(env, "velero"))}}},
        "deployNodeAgent": False,
        "metrics": {"serviceMonitor": {"enabled": settings["monitoring"]["enabled"]}},
    }


def _prometheus(env: str, settings: Settings) -> dict[str, Any]:
    monitoring = settings["monitoring"]
    # select every ServiceMonitor/PodMonitor/PrometheusRule, not only the chart's release label
    selectors = {f"{kind}SelectorNilUsesHelmValues": False
                 for kind in ("serviceMonitor", "podMonitor", "rule")}
    return {"grafana": {"enabled": monitoring["grafana"]},
            "alertmanager": {"enabled": monitoring["alerts"]},
            "prometheus": {"prometheusSpec": selectors}}


def _external_secrets(env: str, settings: Settings) -> dict[str, Any]:
    return {"installCRDs": True,
            "serviceMonitor": {"enabled": settings["monitoring"]["enabled"]}}


def _rabbitmq(env: str, settings: Settings) -> dict[str, Any]:
    # the messaging topology operator reconciles the Vhost/User/Permission/Queue objects
    return {"msgTopologyOperator": {"enabled": True}, "useCertManager": False}


def _cloudnative_pg(env: str, settings: Settings) -> dict[str, Any]:
    return {"monitoring": {"podMonitorEnabled": settings["monitoring"]["enabled"]}}


def _defaults(env: str, settings: Settings) -> dict[str, Any]:
    return {}


VALUES: MappingProxyType[str, Callable[[str, Settings], dict[str, Any]]] = MappingProxyType({
    "cloudnative-pg": _cloudnative_pg,
    "rabbitmq-cluster-operator": _rabbitmq,
    "redis-operator": _defaults,
    "minio-operator": _defaults,
    "vault": _vault,
    "external-secrets": _external_secrets,
    "velero": _velero,
    "kube-prometheus-stack": _prometheus,
    "keda": _defaults,
    "kyverno": _defaults,
})
