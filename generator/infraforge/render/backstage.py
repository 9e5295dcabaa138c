"""Backstage catalog entities: a Group and a System per tenant, a Component per service.

The annotations tie each Component to what runs: `backstage.io/kubernetes-id` matches the label
on the service's pods, and `argocd/app-selector` selects the tenant's ArgoCD Applications. A
tenant's entities read its Tenant and Service documents only, so its first unit renders them
(render/unit.py); the shared catalog-info.yaml lists every tenant's file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from infraforge.model.common import ENVIRONMENT_NAMES
from infraforge.model.kinds import Service, TenantSpec
from infraforge.render.meta import TENANT_LABEL
from infraforge.validate.catalog import Entry
from infraforge.validate.names import namespace_of

_KEBAB = re.compile(r"([a-z0-9])([A-Z])")

API = "backstage.io/v1alpha1"
LOCATION_NAME = "infraforge-catalog"
BACKSTAGE_DIR = "backstage"


def entity_file(tenant: str) -> str:
    return f"{tenant}.yaml"


def entities_path(tenant: str) -> str:
    return f"{BACKSTAGE_DIR}/{entity_file(tenant)}"


def render_tenant_entities(tenant: str, spec: TenantSpec,
                           services: Sequence[Entry[Service]]) -> list[dict[str, Any]]:
    return [group(tenant, spec), system(tenant, spec),
            *(component(tenant, spec, service) for service in services)]


def render_location(tenants: list[str]) -> dict[str, Any]:
    return {"apiVersion": API, "kind": "Location",
            "metadata": {"name": LOCATION_NAME,
                         "description": "Every tenant rendered by InfraForge"},
            "spec": {"type": "url", "targets": [f"./{entity_file(t)}" for t in tenants]}}


def _metadata(name: str, title: str | None, description: str | None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if title:
        metadata["title"] = title
    if description:
        metadata["description"] = description
    return metadata


def group(name: str, spec: TenantSpec) -> dict[str, Any]:
    return {"apiVersion": API, "kind": "Group",
            "metadata": _metadata(name, spec.displayName, spec.description),
            "spec": {"type": "team", "children": [],
                     "members": list(spec.members),
                     "profile": {"displayName": spec.displayName or name}}}


def system(name: str, spec: TenantSpec) -> dict[str, Any]:
    metadata = _metadata(name, spec.displayName, spec.description)
    metadata["annotations"] = {"argocd/app-selector": f"{TENANT_LABEL}={name}"}
    metadata["labels"] = {"infraforge.io/cost-center": _label_value(spec.costCenter)}
    return {"apiVersion": API, "kind": "System", "metadata": metadata,
            "spec": {"owner": f"group:default/{name}"}}


def component(tenant_name: str, tenant: TenantSpec, entry: Entry[Service]) -> dict[str, Any]:
    service = entry.model
    name = f"{tenant_name}-{service.metadata.name}"
    metadata = _metadata(name, None, service.spec.description)
    metadata["annotations"] = {
        "backstage.io/kubernetes-id": name,
        # The annotation takes one namespace: the tenant's most production-like environment,
        # which is the one people open the portal for.
        "backstage.io/kubernetes-namespace": namespace_of(
            tenant_name, max(tenant.environments, key=ENVIRONMENT_NAMES.index)),
        "argocd/app-selector": f"{TENANT_LABEL}={tenant_name}",
    }
    metadata["tags"] = sorted(_KEBAB.sub(r"\1-\2", use).lower() for use in set(service.spec.uses))
    return {"apiVersion": API, "kind": "Component", "metadata": metadata,
            "spec": {"type": "service", "lifecycle": service.spec.lifecycle,
                     "owner": f"group:default/{tenant_name}", "system": tenant_name}}


def _label_value(text: str) -> str:
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in text)
    return cleaned.strip("-_.")[:63]
