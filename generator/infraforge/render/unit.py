"""Render one tenant × environment: a pure function of its resolved unit.

Everything a unit produces (its two app directories, and its entries in the platform layer)
depends on the unit alone, so the result can be cached by the unit's content and computed in
parallel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infraforge.emit.yaml import dump_documents
from infraforge.render.argocd import GUARDRAILS_PROJECT, guardrails_path, workloads_path
from infraforge.render.capabilities.bundle import platform_objects, workload_objects
from infraforge.render.guardrails import render_guardrails
from infraforge.render.text import app_readme
from infraforge.render.workloads import render_workloads
from infraforge.resolve.units import Unit

MANIFEST = "manifest.yaml"
README = "README.md"
# Namespaces first, then the guardrails, then everything else; by kind, then name.
_KIND_RANK = {"Namespace": 0, "ResourceQuota": 1, "LimitRange": 2, "NetworkPolicy": 3,
              "RoleBinding": 4, "ServiceAccount": 5}


@dataclass(frozen=True)
class UnitOutput:
    """The files one unit renders (path relative to the rendered root → bytes).

    `platform` holds the unit's objects that live in platform namespaces (its Velero Schedule,
    its Vault access entry); the tree writes them into `<env>/platform/<component>/`.
    """

    key: str
    files: tuple[tuple[str, bytes], ...]
    identities: str  # the unit's objects' identities, packed (see pack_identities)
    platform: tuple[dict[str, Any], ...] = ()


# (apiVersion, kind, namespace, name, source file): enough to find duplicates across units,
# and much cheaper than the objects to cache or to send back from a worker process.
Identity = tuple[str, str, str, str, str]
FIELDS = 5  # the fields of an Identity


def identity(item: dict[str, Any]) -> Identity:
    meta = item["metadata"]
    return (item["apiVersion"], item["kind"], meta.get("namespace", ""), meta["name"],
            meta.get("annotations", {}).get("infraforge.io/source", ""))


def pack_identities(objects: list[dict[str, Any]]) -> str:
    """The objects' identities as one string, their fields separated by NUL (which neither a
    Kubernetes name nor a file path can hold). A 1,000-tenant compile has 100,000 of them;
    as tuples they were most of what the unit cache unpickles on every run (0.07 of 0.12 s,
    measured), as one string per unit next to nothing."""
    return "\0".join(field for item in objects for field in identity(item))


def unpack_identities(packed: str) -> list[Identity]:
    fields = packed.split("\0") if packed else []
    return list(zip(*(fields[start::FIELDS] for start in range(FIELDS)), strict=True))


def render_unit(unit: Unit) -> UnitOutput:
    guardrails = sort_objects(render_guardrails(unit))
    workloads = sort_objects([*workload_objects(unit), *render_workloads(unit)])
    files = [
        *_app_dir(guardrails_path(unit.environment, unit.tenant), guardrails, unit,
                  GUARDRAILS_PROJECT, "Namespace guardrails (platform-owned)"),
        *_app_dir(workloads_path(unit.environment, unit.tenant), workloads, unit, unit.tenant,
                  "Workloads and capabilities"),
    ]
    return UnitOutput(unit.key, tuple(files), pack_identities([*guardrails, *workloads]),
                      tuple(platform_objects(unit)))


def sort_objects(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(objects, key=object_sort_key)


def object_sort_key(item: dict[str, Any]) -> tuple[int, str, str, str, str]:
    meta = item["metadata"]
    return (_KIND_RANK.get(item["kind"], 9), item["kind"], item["apiVersion"],
            meta.get("namespace", ""), meta["name"])


def _app_dir(path: str, objects: list[dict[str, Any]], unit: Unit, project: str,
             summary: str) -> list[tuple[str, bytes]]:
    sources = sorted({o["metadata"]["annotations"]["infraforge.io/source"] for o in objects})
    readme = app_readme(
        title=f"{unit.tenant} in {unit.environment}: {path.rsplit('/', 1)[-1]}",
        summary=summary, environment=unit.environment, namespace=unit.namespace,
        project=project, object_count=len(objects), sources=sources,
        explain_commands=_explain_examples(unit))
    return [(f"{path}/{MANIFEST}", dump_documents(objects).encode()),
            (f"{path}/{README}", readme.encode())]


def _explain_examples(unit: Unit) -> list[str]:
    commands = [f"infraforge explain {unit.key} quota.limits.cpu"]
    if unit.services:
        commands.append(f"infraforge explain {unit.key} {unit.services[0].name} replicas")
    return commands
