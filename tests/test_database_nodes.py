"""CloudNativePG clusters use the dedicated database nodes where the environment has them."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML


def cnpg_cluster(project: Path, env: str) -> dict:
    path = project / "rendered" / env / "payments" / "workloads" / "manifest.yaml"
    return next(doc for doc in YAML(typ="safe").load_all(path.read_text())
                if doc["kind"] == "Cluster" and doc["apiVersion"].startswith("postgresql.cnpg.io"))


def test_prod_databases_tolerate_and_prefer_the_database_nodes(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    affinity = cnpg_cluster(project, "prod")["spec"]["affinity"]
    assert affinity["tolerations"] == [{"key": "infraforge.io/node-pool", "operator": "Equal",
                                        "value": "database", "effect": "NoSchedule"}]
    preferred = affinity["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert preferred[0]["preference"]["matchExpressions"][0]["values"] == ["database"]
    # preferred, not required: 3 instances with required anti-affinity fit on 2 database nodes
    assert "requiredDuringSchedulingIgnoredDuringExecution" not in affinity["nodeAffinity"]


def test_dev_has_no_database_nodes_and_no_placement(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    affinity = cnpg_cluster(project, "dev")["spec"]["affinity"]
    assert "tolerations" not in affinity and "nodeAffinity" not in affinity
