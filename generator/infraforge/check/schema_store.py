"""Where the JSON schemas live and how a kind finds its file (kubeconform's location rules).

The store is never copied into the project: it is found by `--schema-store`, then the
INFRAFORGE_SCHEMA_STORE environment variable, then `../shared/schemas` beside the project.
Both engines use the same `-schema-location` templates, rendered here exactly as kubeconform
renders them, so they always read the same file for a kind.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from infraforge.lazy import cached_property

STORE_ENV = "INFRAFORGE_SCHEMA_STORE"
DEFAULT_K8S_VERSION = "1.33.0"
_K8S_TEMPLATE = ("k8s/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/"
                 "{{.ResourceKind}}{{.KindSuffix}}.json")
_CRD_TEMPLATE = "crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"
_FOLDER_SUFFIX = ("/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/"
                  "{{ .ResourceKind }}{{ .KindSuffix }}.json")
_VARIABLE = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")


class StoreError(Exception):
    """The schema store or a location is unusable; a usage problem, not a catalog one."""


def find_store(option: str | None, project: Path) -> Path:
    candidates = [Path(option)] if option else []
    if not option and os.environ.get(STORE_ENV):
        candidates = [Path(os.environ[STORE_ENV])]
    candidates = candidates or [project.resolve().parent / "shared" / "schemas"]
    for candidate in candidates:
        if (candidate / "k8s").is_dir() or (candidate / "crds").is_dir():
            return candidate.resolve()
    raise StoreError(f"no schema store at {candidates[0]} (expected k8s/ and crds/ there); pass "
                     f"--schema-store DIR or set {STORE_ENV}, or fetch one with "
                     "`infraforge schemas sync --dest DIR`")


def template_variables(api_version: str, kind: str, k8s_version: str) -> dict[str, str]:
    parts = api_version.split("/")
    group, version = parts[0], parts[-1]
    suffix = f"-{group.split('.')[0].lower()}-{version.lower()}" if len(parts) > 1 else f"-{group}"
    return {"NormalizedKubernetesVersion": f"v{k8s_version}" if k8s_version != "master"
            else "master", "StrictSuffix": "-strict", "ResourceKind": kind.lower(),
            "ResourceAPIVersion": version, "Group": group, "KindSuffix": suffix}


def render_location(template: str, variables: dict[str, str]) -> str:
    if not template.endswith("json"):
        template = template.rstrip("/") + _FOLDER_SUFFIX
    return _VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), template)


@dataclass(frozen=True)
class SchemaStore:
    root: Path
    k8s_version: str = DEFAULT_K8S_VERSION
    extra_locations: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for location in self.extra_locations:
            if location == "default" or location.startswith(("http:", "https:")):
                raise StoreError(f"schema location {location!r} would download schemas; "
                                 "give a local path template (see `infraforge schemas sync`)")

    @property
    def locations(self) -> tuple[str, ...]:
        """kubeconform `-schema-location` values, tried in this order."""
        return (f"{self.root}/{_K8S_TEMPLATE}", f"{self.root}/{_CRD_TEMPLATE}",
                *self.extra_locations)

    @lru_cache(maxsize=4096)  # noqa: B019 - stores live for one run; at most a few hundred kinds
    def resolve(self, api_version: str, kind: str) -> Path | None:
        variables = template_variables(api_version, kind, self.k8s_version)
        for template in self.locations:
            path = Path(render_location(template, variables).removeprefix("file://"))
            if path.is_file():
                return path
        return None

    def is_core(self, schema: Path) -> bool:
        return schema.is_relative_to(self.root / "k8s")

    @cached_property
    def fingerprint(self) -> str:
        """A digest of every schema file the locations can reach, for the validation cache."""
        digest = hashlib.sha256(self.k8s_version.encode())
        for location in self.locations:
            digest.update(location.encode())
            base = Path(location.split("{{")[0])
            base = base if base.is_dir() else base.parent
            for path in sorted(base.rglob("*.json")):
                digest.update(path.relative_to(base).as_posix().encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()
