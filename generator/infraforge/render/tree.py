"""Assemble the whole rendered tree: every unit's app directories plus the shared files.

The result is data (path → bytes); writing it is the next stage's job.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType
from typing import Any

from infraforge import __version__
from infraforge.emit.memo import DocumentMemo
from infraforge.errors import CatalogError, Diagnostic, Position
from infraforge.incremental.unit_files import RenderedFiles
from infraforge.incremental.units import UnitCache, UnitPlan, render_planned
from infraforge.render.argocd import argocd_path, render_argocd, root_application
from infraforge.render.backstage import BACKSTAGE_DIR, render_location
from infraforge.render.capabilities.platform_layer import directory_files, render_platform
from infraforge.render.objects import Emitted, ObjectKey, emit, join_emitted
from infraforge.render.text import app_readme, render_text
from infraforge.render.tofu import render_tfvars, tfvars_json, tfvars_path
from infraforge.render.unit import MANIFEST, README, UnitOutput
from infraforge.resolve import defaults
from infraforge.resolve.merge import merge_layers
from infraforge.resolve.units import Unit
from infraforge.validate.catalog import Catalog

HYDRATOR_METADATA = "hydrator.metadata"


@dataclass(frozen=True)
class RenderedTree:
    """`files` goes to rendered/ (the rendered branch), `entrypoints` to appsets/ and `tofu`
    (OpenTofu's per-environment inputs) to tofu/environments/, both on main."""

    files: RenderedFiles  # a read-only mapping; cached units' bytes are read on first access
    entrypoints: MappingProxyType[str, bytes]
    tofu: MappingProxyType[str, bytes]
    units: tuple[str, ...]
    object_count: int
    rerendered: tuple[str, ...] = ()  # units rendered this run (the rest came from the cache)


def render_tree(catalog: Catalog, plan: UnitPlan, source_commit: str | None = None,
                cache: UnitCache | None = None, memo: DocumentMemo | None = None) -> RenderedTree:
    planned = render_planned(catalog, plan, cache)
    return assemble_tree(catalog, plan.units, planned.outputs, planned.files, source_commit,
                         planned.rerendered, memo)


def assemble_tree(catalog: Catalog, units: tuple[Unit, ...], outputs: tuple[UnitOutput, ...],
                  unit_files: RenderedFiles, source_commit: str | None,
                  rerendered: tuple[str, ...] = (),
                  memo: DocumentMemo | None = None) -> RenderedTree:
    """The units' files plus the shared ones; `memo` spares re-emitting unchanged documents."""
    memo = memo or DocumentMemo()
    files: dict[str, bytes] = {}  # the shared files
    tofu: dict[str, bytes] = {}
    object_count = 0
    for env in catalog.environments:
        env_units = [u for u in units if u.environment == env]
        env_outputs = [out for u, out in zip(units, outputs, strict=True) if u.environment == env]
        env_files, tofu[tfvars_path(env)], count = _environment_files(catalog, env, env_units,
                                                                      env_outputs, memo)
        files.update(env_files)
        object_count += count
    # each tenant's entities come with its first unit (render/unit.py); this lists them all
    location = memo.dump_documents([render_location(list(catalog.tenants))])
    files[f"{BACKSTAGE_DIR}/catalog-info.yaml"] = location.encode()
    files[README] = _root_readme(catalog, units).encode()
    files[HYDRATOR_METADATA] = _hydrator_metadata(catalog, source_commit)
    entrypoints = {f"{env}.yaml": memo.dump_documents(root_application(
        env, catalog.platform.model.spec)).encode() for env in catalog.environments}
    return RenderedTree(unit_files.including(files), MappingProxyType(entrypoints),
                        MappingProxyType(tofu), tuple(u.key for u in units), object_count,
                        rerendered)


def _environment_files(catalog: Catalog, env: str, units: list[Unit], outputs: list[UnitOutput],
                       memo: DocumentMemo) -> tuple[dict[str, bytes], bytes, int]:
    """One environment's shared files (argocd/, platform/), its tfvars and its object count."""
    spec = catalog.platform.model.spec
    settings = environment_settings(catalog, env)
    platform = render_platform(env, spec, settings, catalog.platform.doc.file,
                               [o for out in outputs for o in out.platform], memo.dump_document)
    tfvars = render_tfvars(env, spec, settings, platform.argocd, units, outputs,
                           partial(memo.dumped, dump=tfvars_json))
    argocd = [*(emit(item, memo.dump_document)
                for item in (*render_argocd(env, units, spec), *platform.argocd)),
              *(project for out in outputs for project in out.argocd)]
    files = {f"{argocd_path(env)}/{MANIFEST}": join_emitted(argocd).encode(),
             f"{argocd_path(env)}/{README}": _argocd_readme(env, units, len(argocd)).encode()}
    platform_objects: list[Emitted] = []
    for path, objects in platform.directories.items():
        files.update(directory_files(env, path, objects))
        platform_objects += objects
    # each environment is its own cluster: objects must be unique within one
    shared, filled = [*argocd, *platform_objects], [out for out in outputs if out.object_keys]
    keys = _fields([item.key for item in shared], [out.object_keys for out in filled], "\n")
    check_unique_objects(keys, lambda: _fields([item.source for item in shared],
                                               [out.object_sources for out in filled], "\0"))
    return files, tfvars, len(keys)


def environment_settings(catalog: Catalog, env: str) -> dict[str, Any]:
    """The environment's own settings (built-in defaults ← its overlay), for the platform layer."""
    overlay = catalog.overlays[env].doc.data.get("spec") or {}
    return merge_layers(dict(defaults.UNIT_DEFAULTS), overlay)


def _argocd_readme(env: str, units: list[Unit], object_count: int) -> str:
    return app_readme(
        title=f"ArgoCD entry point for {env}", summary="AppProjects and ApplicationSets (one "
        "workloads and one guardrails Application per tenant), and one Application per platform "
        "component.", environment=env,
        namespace="argocd", project="infraforge-platform", object_count=object_count,
        sources=["catalog/platform.yaml", *sorted({u.tenant_file for u in units})],
        explain_commands=[])


def _root_readme(catalog: Catalog, units: tuple[Unit, ...]) -> str:
    environments = [{"name": env, "argocd_path": argocd_path(env),
                     "tenants": [u.tenant for u in units if u.environment == env] or ["-"]}
                    for env in catalog.environments]
    return render_text("root-readme.md.j2", version=__version__, environments=environments)


def _hydrator_metadata(catalog: Catalog, source_commit: str | None) -> bytes:
    # The ArgoCD Source Hydrator's metadata file; drySha only when CI says which commit this is,
    # so a local render stays byte-identical across commits.
    metadata: dict[str, Any] = {"repoURL": catalog.platform.model.spec.gitops.repoURL,
                                "commands": ["infraforge render"]}
    if source_commit:
        metadata["drySha"] = source_commit
    return (json.dumps(metadata, indent=2, sort_keys=True) + "\n").encode()


def _fields(shared: list[str], units: list[str], separator: str) -> list[str]:
    """The shared objects' values, then the units' (each unit keeps its objects' values as one
    `separator`-joined string: render/objects.py), in one list."""
    return [*shared, *(separator.join(units).split(separator) if units else ())]


def check_unique_objects(keys: list[ObjectKey], sources: Callable[[], list[str]]) -> None:
    """Two objects with the same key in one cluster would overwrite each other. `sources` gives
    each object's source file, only needed to report (100,000 of them at 1,000 tenants)."""
    if len(set(keys)) == len(keys):
        return  # the usual case, settled at C speed; the loop below finds which ones collide
    seen: set[ObjectKey] = set()
    problems = []
    for key, source in zip(keys, sources(), strict=True):
        if key in seen:
            shown = key.replace("\0", "/")
            problems.append(Diagnostic("DUPLICATE-OBJECT", f"{shown} is rendered twice",
                                       Position(source or "catalog"), "rename one of the two"))
        seen.add(key)
    if problems:
        raise CatalogError(problems)
