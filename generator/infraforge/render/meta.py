"""Labels, annotations and object heads shared by every rendered object."""

from __future__ import annotations

from typing import Any

MANAGED_BY = "infraforge"
TENANT_LABEL = "infraforge.io/tenant"
ENV_LABEL = "infraforge.io/environment"
SOURCE_ANNOTATION = "infraforge.io/source"
SYNC_WAVE = "argocd.argoproj.io/sync-wave"
SYNC_OPTIONS = "argocd.argoproj.io/sync-options"

# Sync waves: guardrails first, then capability resources, then workloads (ArgoCD applies
# lower waves first and prunes in reverse). Within the capabilities: the secrets they read
# (ExternalSecrets), the operator instances, then what lives inside an instance (databases,
# vhosts, users, queues, scheduled backups), which needs the instance to be up.
WAVE_PLATFORM = "-20"
WAVE_GUARDRAILS = "-10"
WAVE_SECRETS = "-5"
WAVE_CAPABILITIES = "0"
WAVE_CAPABILITY_CONFIG = "1"
WAVE_WORKLOADS = "5"
WAVE_BACKUP = "10"


# On objects made for a tenant that live in a platform namespace (its Velero Schedule, its Vault
# access entry): they are platform-owned, so they do not carry the tenant label itself.
FOR_TENANT_LABEL = "infraforge.io/for-tenant"


def platform_labels(environment: str, **extra: str) -> dict[str, str]:
    return {"app.kubernetes.io/managed-by": MANAGED_BY, ENV_LABEL: environment, **extra}


def tenant_labels(tenant: str, environment: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/managed-by": MANAGED_BY,
        "app.kubernetes.io/part-of": tenant,
        TENANT_LABEL: tenant,
        ENV_LABEL: environment,
    }


def obj(api_version: str, kind: str, name: str, namespace: str | None, labels: dict[str, str],
        source: str, spec: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A Kubernetes object head; `spec` and any other top-level fields (data, rules...) follow."""
    metadata: dict[str, Any] = {"name": name, "labels": dict(labels),
                                "annotations": {SOURCE_ANNOTATION: source}}
    if namespace is not None:
        metadata["namespace"] = namespace
    result: dict[str, Any] = {"apiVersion": api_version, "kind": kind, "metadata": metadata}
    if spec is not None:
        result["spec"] = spec
    result.update(extra)
    return result


def annotate(manifest: dict[str, Any], **annotations: str) -> dict[str, Any]:
    manifest["metadata"].setdefault("annotations", {}).update(annotations)
    return manifest
