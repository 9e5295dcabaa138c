"""The rendered tree as the capability tests read it: every YAML document, by kind and place.

Rendering goes through the real CLI entry point into a copy of a project; the documents are
read back from disk with the project's own safe loader, so the tests see exactly the files
ArgoCD would.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import REPO
from infraforge.cli import main
from infraforge.load.yaml_source import read_yaml_documents

CORE_GROUPS = frozenset({"v1", "apps/v1", "autoscaling/v2", "networking.k8s.io/v1",
                         "rbac.authorization.k8s.io/v1", "policy/v1", "batch/v1"})


@dataclass(frozen=True)
class Doc:
    file: str
    body: dict[str, Any]

    @property
    def kind(self) -> str:
        return self.body["kind"]

    @property
    def name(self) -> str:
        return self.body["metadata"]["name"]

    @property
    def namespace(self) -> str | None:
        return self.body["metadata"].get("namespace")

    @property
    def spec(self) -> dict[str, Any]:
        return self.body.get("spec", {})

    @property
    def env(self) -> str:
        return self.file.split("/", 1)[0]


class Tree:
    def __init__(self, root: Path, docs: list[Doc]):
        self.root = root
        self.docs = docs

    def of_kind(self, kind: str, env: str | None = None,
                namespace: str | None = None) -> list[Doc]:
        return [d for d in self.docs if d.kind == kind and (env is None or d.env == env)
                and (namespace is None or d.namespace == namespace)]

    def one(self, kind: str, namespace: str, name: str) -> Doc:
        found = [d for d in self.of_kind(kind, namespace=namespace) if d.name == name]
        assert len(found) == 1, f"{kind} {namespace}/{name}: {len(found)} rendered"
        return found[0]

    def has(self, kind: str, namespace: str, name: str) -> bool:
        return any(d.name == name for d in self.of_kind(kind, namespace=namespace))

    def custom_resources(self) -> list[Doc]:
        return [d for d in self.docs if d.body["apiVersion"] not in CORE_GROUPS]


def copy_example(target: Path) -> Path:
    for folder in ("catalog", "overlays"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def render(project: Path) -> Tree:
    code = main(["-C", str(project), "render"])
    assert code == 0, "the catalog must render"
    docs = []
    for folder in ("rendered", "appsets"):
        for path in sorted((project / folder).rglob("*.yaml")):
            display = path.relative_to(project / folder).as_posix()
            if display.startswith("backstage/"):
                continue
            documents, problems = read_yaml_documents(path.read_bytes(), display)
            assert not problems, [p.format() for p in problems]
            docs += [Doc(display, doc.data) for doc in documents]
    return Tree(project, docs)


def container_env(deployment: Doc) -> list[dict[str, Any]]:
    return deployment.spec["template"]["spec"]["containers"][0].get("env", [])
