"""Render one tenant × environment: a pure function of its resolved unit.

Everything a unit produces (its two app directories, and its entries in the platform layer)
depends on the unit alone, so the result can be cached by the unit's content and computed in
parallel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infraforge.emit.yaml import dump_documents
from infraforge.render.argocd import (
    GUARDRAILS_PROJECT,
    guardrails_path,
    tenant_project,
    workloads_path,
)
from infraforge.render.backstage import entities_path, render_tenant_entities
from infraforge.render.capabilities.bundle import platform_objects, workload_objects
from infraforge.render.guardrails import render_guardrails
from infraforge.render.objects import Emitted, emit, object_key, object_source, sort_objects
from infraforge.render.text import app_readme
from infraforge.render.workloads import render_workloads
from infraforge.resolve.units import Unit

MANIFEST = "manifest.yaml"
README = "README.md"


@dataclass(frozen=True)
class UnitOutput:
    """The files one unit renders (path relative to the rendered root → bytes), and what it
    adds to the shared files, already emitted: its objects in platform namespaces (its Velero
    Schedule, its Vault access entry) for `<env>/platform/<component>/`, its AppProject for
    `<env>/argocd/`."""

    key: str
    files: tuple[tuple[str, bytes], ...]
    object_keys: str  # one ObjectKey per line (render/objects.py), as `object_sources` orders
    object_sources: str  # each object's source file, NUL-separated
    platform: tuple[Emitted, ...] = ()  # its objects in platform namespaces
    argocd: tuple[Emitted, ...] = ()  # its AppProject, for <env>/argocd/

    def renders(self, api_version: str, kind: str) -> bool:
        return f"\n{api_version}\0{kind}\0" in f"\n{self.object_keys}"


def render_unit(unit: Unit) -> UnitOutput:
    guardrails = sort_objects(render_guardrails(unit))
    workloads = sort_objects([*workload_objects(unit), *render_workloads(unit)])
    files = [
        *_app_dir(guardrails_path(unit.environment, unit.tenant), guardrails, unit,
                  GUARDRAILS_PROJECT, "Namespace guardrails (platform-owned)"),
        *_app_dir(workloads_path(unit.environment, unit.tenant), workloads, unit, unit.tenant,
                  "Workloads and capabilities"),
        *_backstage_entities(unit),
    ]
    objects = [*guardrails, *workloads]
    return UnitOutput(unit.key, tuple(files), "\n".join(map(object_key, objects)),
                      "\0".join(map(object_source, objects)),
                      tuple(map(emit, platform_objects(unit))),
                      (emit(tenant_project(unit, unit.platform)),))


def _app_dir(path: str, objects: list[dict[str, Any]], unit: Unit, project: str,
             summary: str) -> list[tuple[str, bytes]]:
    sources = sorted(set(map(object_source, objects)))
    readme = app_readme(
        title=f"{unit.tenant} in {unit.environment}: {path.rsplit('/', 1)[-1]}",
        summary=summary, environment=unit.environment, namespace=unit.namespace,
        project=project, object_count=len(objects), sources=sources,
        explain_commands=_explain_examples(unit))
    return [(f"{path}/{MANIFEST}", dump_documents(objects).encode()),
            (f"{path}/{README}", readme.encode())]


def _backstage_entities(unit: Unit) -> list[tuple[str, bytes]]:
    """The tenant's Backstage file, with its first unit. It reads the tenant's Tenant and
    Service documents only, which every unit of the tenant reads (they are in its cache key), so
    it is cached and rendered in parallel with that unit."""
    first = next(env.name for env in unit.platform.environments
                 if env.name in unit.tenant_spec.environments)
    if unit.environment != first:
        return []
    entities = render_tenant_entities(unit.tenant, unit.tenant_spec, unit.service_entries)
    return [(entities_path(unit.tenant), dump_documents(entities).encode())]


def _explain_examples(unit: Unit) -> list[str]:
    commands = [f"infraforge explain {unit.key} quota.limits.cpu"]
    if unit.services:
        commands.append(f"infraforge explain {unit.key} {unit.services[0].name} replicas")
    return commands
