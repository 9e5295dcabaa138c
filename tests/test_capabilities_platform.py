"""The platform layer: per environment, one AppProject and one Application per operator pinned
in the Platform document, component directories in the hydrator layout, admission policies, and
the sync-wave order of everything a tenant gets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from capabilities_tree import Tree, copy_example, render
from conftest import REPO

ENVIRONMENTS = ("dev", "staging", "prod")
GITOPS = "https://git.acme.example/platform/gitops.git"


def pinned_operators() -> dict[str, tuple[str, str, str]]:
    """name → (repoURL, chart, version), read from the example Platform document."""
    text = (REPO / "catalog" / "platform.yaml").read_text()
    found = re.findall(r"- name: (\S+)\n\s+repoURL: (\S+)\n\s+chart: (\S+)\n\s+version: (\S+)",
                       text)
    return {name: (repo, chart, version) for name, repo, chart, version in found}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    return render(copy_example(tmp_path_factory.mktemp("example")))


def test_each_operator_has_its_own_project_and_a_pinned_application(tree: Tree) -> None:
    operators = pinned_operators()
    assert len(operators) == 10
    for env in ENVIRONMENTS:
        for name, (repo, chart, version) in operators.items():
            if name == "velero" and env == "dev":
                continue  # no backups in dev
            app = tree.one("Application", "argocd", f"platform-{name}-{env}")
            assert app.file == f"{env}/argocd/manifest.yaml"
            assert app.spec["project"] == f"platform-{name}"
            helm, rendered = app.spec["sources"]
            assert (helm["repoURL"], helm["chart"], helm["targetRevision"]) == (
                repo, chart, version)
            assert rendered == {"repoURL": GITOPS, "targetRevision": "rendered",
                                "path": f"{env}/platform/{name}"}
            assert (tree.root / "rendered" / rendered["path"] / "README.md").is_file()
            project = next(p for p in tree.of_kind("AppProject", env=env)
                           if p.name == f"platform-{name}")
            assert sorted(project.spec["sourceRepos"]) == sorted({repo, GITOPS})
            namespaces = {d["namespace"] for d in project.spec["destinations"]}
            assert app.spec["destination"]["namespace"] in namespaces
            assert namespaces <= {app.spec["destination"]["namespace"], "kube-system"}
            assert all(k["kind"] != "*" and k["group"] != "*"
                       for k in project.spec["clusterResourceWhitelist"])


def test_prod_never_prunes_platform_components_automatically(tree: Tree) -> None:
    for app in tree.of_kind("Application"):
        if app.name.startswith("platform-"):
            assert app.spec["syncPolicy"]["automated"]["prune"] is (app.env != "prod")


def test_the_root_application_may_create_the_platform_applications(tree: Tree) -> None:
    for env in ENVIRONMENTS:
        root = next(d for d in tree.docs if d.file == f"{env}.yaml" and d.kind == "AppProject")
        allowed = {(k["group"], k["kind"]) for k in root.spec["namespaceResourceWhitelist"]}
        assert ("argoproj.io", "Application") in allowed
        assert root.spec["clusterResourceWhitelist"] == []


def test_component_directories_hold_namespace_and_platform_objects(tree: Tree) -> None:
    velero = tree.of_kind("Schedule", env="prod")
    assert velero and {d.file for d in velero} == {"prod/platform/velero/manifest.yaml"}
    vault = tree.of_kind("ConfigMap", env="prod", namespace="vault")
    assert {d.file for d in vault} == {"prod/platform/vault/manifest.yaml"}
    for namespace in tree.of_kind("Namespace", env="prod"):
        labels = namespace.body["metadata"]["labels"]
        if namespace.file.startswith("prod/platform/"):
            component = namespace.file.split("/")[2]
            expected = "privileged" if component == "kube-prometheus-stack" else "baseline"
            assert labels["pod-security.kubernetes.io/enforce"] == expected  # node-exporter
            assert labels["pod-security.kubernetes.io/warn"] == "restricted"


def test_kyverno_enforces_the_platform_admission_rules(tree: Tree) -> None:
    for env in ENVIRONMENTS:
        policies = {p.name: p for p in tree.of_kind("ClusterPolicy", env=env)}
        assert set(policies) == {"infraforge-require-pod-security",
                                 "infraforge-disallow-node-ports",
                                 "infraforge-restrict-secret-stores"}
        for policy in policies.values():
            assert policy.file == f"{env}/platform/kyverno/manifest.yaml"
            assert {r["validate"]["failureAction"] for r in policy.spec["rules"]} == {"Enforce"}


WAVES = {"ExternalSecret": "-5", "Password": "-5", "Cluster": "0", "Redis": "0",
         "RedisCluster": "0", "RabbitmqCluster": "0", "Tenant": "0", "Database": "1",
         "Pooler": "1", "ScheduledBackup": "1", "Vhost": "1", "User": "1", "Permission": "1",
         "Queue": "1", "Deployment": "5", "ScaledObject": "5", "TriggerAuthentication": "5",
         "HorizontalPodAutoscaler": "5", "ServiceMonitor": "5", "PrometheusRule": "5"}


def test_sync_waves_order_guardrails_then_capabilities_then_workloads(tree: Tree) -> None:
    seen = set()
    for doc in tree.docs:
        annotations = doc.body["metadata"].get("annotations", {})
        wave = annotations.get("argocd.argoproj.io/sync-wave")
        if doc.file.endswith("/guardrails/manifest.yaml"):
            assert wave == "-10", doc.file
        elif doc.file.endswith("/workloads/manifest.yaml") and doc.kind in WAVES:
            assert wave == WAVES[doc.kind], (doc.kind, wave)
            seen.add(doc.kind)
    assert seen == set(WAVES)


def test_every_custom_resource_may_wait_for_its_crd(tree: Tree) -> None:
    for doc in tree.custom_resources():
        if doc.body["apiVersion"].startswith("argoproj.io/"):
            continue  # ArgoCD's own CRDs exist before anything syncs
        options = doc.body["metadata"]["annotations"].get("argocd.argoproj.io/sync-options")
        assert options == "SkipDryRunOnMissingResource=true", f"{doc.file}: {doc.kind}"


def test_a_platform_without_operators_has_no_platform_layer(tmp_path: Path) -> None:
    project = copy_example(tmp_path)
    platform = project / "catalog" / "platform.yaml"
    text = platform.read_text()
    start = text.index("  # The platform layer")
    end = text.index("  rules:")
    platform.write_text(text[:start] + text[end:])
    tree = render(project)
    assert not any("/platform/" in d.file for d in tree.docs)
    assert not [a for a in tree.of_kind("Application") if a.name.startswith("platform-")]
    assert tree.of_kind("Cluster")  # the tenants' capabilities are still there
