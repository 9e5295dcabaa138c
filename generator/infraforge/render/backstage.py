"""Backstage catalog entities: a Group and a System per tenant, a Component per service.

The annotations tie each Component to what runs: `backstage.io/kubernetes-id` matches the label
on the service's pods, and `argocd/app-selector` selects the tenant's ArgoCD Applications.
"""

from __future__ import annotations

import re
from typing import Any

from infraforge.model.common import ENVIRONMENT_NAMES
from infraforge.model.kinds import Service, Tenant
from infraforge.render.meta import TENANT_LABEL
from infraforge.validate.catalog import Catalog, Entry
from infraforge.validate.names import namespace_of

_KEBAB = re.compile(r"([a-z0-9])([A-Z])")

API = "backstage.io/v1alpha1"
LOCATION_NAME = "infraforge-catalog"


def entity_file(tenant: str) -> str:
    return f"{tenant}.yaml"


def render_tenant_entities(catalog: Catalog, tenant: str) -> list[dict[str, Any]]:
    entry = catalog.tenants[tenant]
    entities = [group(entry), system(entry)]
    entities += [component(entry, service) for service in catalog.services_of(tenant)]
    return entities


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


def group(entry: Entry[Tenant]) -> dict[str, Any]:
    spec = entry.model.spec
    return {"apiVersion": API, "kind": "Group",
            "metadata": _metadata(entry.model.metadata.name, spec.displayName, spec.description),
            "spec": {"type": "team", "children": [],
                     "members": list(spec.members),
                     "profile": {"displayName": spec.displayName or entry.model.metadata.name}}}


def system(entry: Entry[Tenant]) -> dict[str, Any]:
    spec = entry.model.spec
    name = entry.model.metadata.name
    metadata = _metadata(name, spec.displayName, spec.description)
    metadata["annotations"] = {"argocd/app-selector": f"{TENANT_LABEL}={name}"}
    metadata["labels"] = {"infraforge.io/cost-center": _label_value(spec.costCenter)}
    return {"apiVersion": API, "kind": "System", "metadata": metadata,
            "spec": {"owner": f"group:default/{name}"}}


def component(tenant: Entry[Tenant], entry: Entry[Service]) -> dict[str, Any]:
    tenant_name = tenant.model.metadata.name
    service = entry.model
    name = f"{tenant_name}-{service.metadata.name}"
    metadata = _metadata(name, None, service.spec.description)
    metadata["annotations"] = {
        "backstage.io/kubernetes-id": name,
        # The annotation takes one namespace: the tenant's most production-like environment,
        # which is the one people open the portal for.
        "backstage.io/kubernetes-namespace": namespace_of(
            tenant_name, max(tenant.model.spec.environments, key=ENVIRONMENT_NAMES.index)),
        "argocd/app-selector": f"{TENANT_LABEL}={tenant_name}",
    }
    metadata["tags"] = sorted(_KEBAB.sub(r"\1-\2", use).lower() for use in set(service.spec.uses))
    return {"apiVersion": API, "kind": "Component", "metadata": metadata,
            "spec": {"type": "service", "lifecycle": service.spec.lifecycle,
                     "owner": f"group:default/{tenant_name}", "system": tenant_name}}


def _label_value(text: str) -> str:
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in text)
    return cleaned.strip("-_.")[:63]
