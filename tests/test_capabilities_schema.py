"""Every custom resource the capabilities render passes the upstream schemas in
../shared/schemas in strict mode, through the real kubeconform binary: once through
`infraforge validate` (the product's path), once directly over the custom resources alone with
no missing schema tolerated, and a control proving the schemas really bite."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from capabilities_tree import Tree, copy_example, render
from conftest import REPO, SHARED
from infraforge.emit.yaml import dump_documents

SCHEMAS = SHARED / "schemas"
KUBERNETES_VERSION = "1.33.0"
CAPABILITY_KINDS = {
    "Cluster", "ScheduledBackup", "Pooler", "Database", "Redis", "RedisCluster",
    "RabbitmqCluster", "Vhost", "User", "Permission", "Queue", "Tenant", "SecretStore",
    "ExternalSecret", "Password", "Schedule", "ServiceMonitor", "PrometheusRule", "ScaledObject",
    "TriggerAuthentication", "Application", "AppProject", "ClusterPolicy",
}


def kubeconform() -> Path:
    """INFRAFORGE_KUBECONFORM, then the project's .tools/bin, then PATH; else fail loudly."""
    for candidate in (os.environ.get("INFRAFORGE_KUBECONFORM"),
                      str(REPO / ".tools" / "bin" / "kubeconform"), shutil.which("kubeconform")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    pytest.fail("kubeconform not found: run `make tools` (or set INFRAFORGE_KUBECONFORM)")


def run_kubeconform(files: list[Path]) -> dict:
    core = ("{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/"
            "{{.ResourceKind}}{{.KindSuffix}}.json")
    crds = "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"
    locations = [f"{SCHEMAS}/k8s/{core}", f"{SCHEMAS}/crds/{crds}"]
    command = [str(kubeconform()), "-strict", "-summary", "-output", "json",
               "-kubernetes-version", KUBERNETES_VERSION]
    for location in locations:
        command += ["-schema-location", location]
    done = subprocess.run([*command, *map(str, files)], capture_output=True, text=True,
                          check=False, timeout=120)
    report = json.loads(done.stdout)
    report["exit"] = done.returncode
    return report


def by_kind(folder: Path, bodies: list[dict]) -> list[Path]:
    """One file per kind: kubeconform checks files in parallel and compiles a schema once."""
    groups: dict[str, list[dict]] = {}
    for body in bodies:
        groups.setdefault(body["kind"], []).append(body)
    files = []
    for kind, items in sorted(groups.items()):
        files.append(folder / f"{kind}.yaml")
        files[-1].write_text(dump_documents(items))
    return files


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    return render(copy_example(tmp_path_factory.mktemp("example")))


def test_the_example_passes_infraforge_validate(project: Path, run_cli) -> None:
    binary = kubeconform()
    result = run_cli("-C", str(project), "validate", "--engine", "kubeconform", "--no-cache",
                     "--kubeconform", str(binary), "--schema-store", str(SCHEMAS))
    assert result.code == 0, result.out + result.err
    assert "0 errors" in result.out


def test_every_custom_resource_validates_strictly_with_no_schema_missing(
        tree: Tree, tmp_path: Path) -> None:
    # ApplicationSets are not the capabilities' (and their 2 MB schema alone takes seconds)
    resources = [d for d in tree.custom_resources() if d.kind != "ApplicationSet"]
    assert {d.kind for d in resources} >= CAPABILITY_KINDS
    report = run_kubeconform(by_kind(tmp_path, [d.body for d in resources]))
    summary = report["summary"]
    assert report["exit"] == 0, [r for r in report["resources"] if r["status"] != "statusValid"]
    assert summary["valid"] == len(resources)
    assert summary["invalid"] == summary["errors"] == summary["skipped"] == 0


def test_the_schemas_reject_an_unknown_field_in_every_capability_kind(
        tree: Tree, tmp_path: Path) -> None:
    samples = {}
    for doc in tree.custom_resources():
        if doc.kind in CAPABILITY_KINDS:
            samples.setdefault(doc.kind, doc.body)
    broken = []
    for _, body in sorted(samples.items()):
        copy = json.loads(json.dumps(body))
        copy["spec"]["unknownSetting"] = True
        broken.append(copy)
    report = run_kubeconform(by_kind(tmp_path, broken))
    assert report["exit"] == 1
    invalid = {r["kind"] for r in report["resources"] if r["status"] == "statusInvalid"}
    assert invalid == set(samples)
