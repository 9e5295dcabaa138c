"""Re-validating from the index gives the report a full run gives, edit after edit.

Policy findings are kept per component (files sharing a partition) and re-checked only when a
file of the component, the tree's facts or the platform's policy settings change. Each edit
below reaches across objects in a different way; after each one, the run that uses the index
must equal a `--no-cache` run, and re-check only the files the edit touched.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from infraforge.emit.yaml import dump_documents
from validate_helpers import validate_json

Edit = Callable[[Path], set[str]]  # edits the project, returns the rendered files it changed


def edit_documents(project: Path, rel: str, change: Callable[[list[dict]], list[dict]]) -> str:
    path = project / "rendered" / rel
    path.write_text(dump_documents(change(list(yaml.safe_load_all(path.read_text())))))
    return f"rendered/{rel}"


def drop(kind: str, name: str | None = None) -> Callable[[list[dict]], list[dict]]:
    return lambda docs: [d for d in docs if not (d["kind"] == kind and name in (None, d[
        "metadata"]["name"]))]


def drop_default_deny(project: Path) -> set[str]:
    return {edit_documents(project, "prod/payments/guardrails/manifest.yaml",
                           drop("NetworkPolicy", "default-deny"))}


def single_replica_without_autoscaler(project: Path) -> set[str]:
    def change(docs: list[dict]) -> list[dict]:
        for doc in docs:
            if doc["kind"] == "Deployment":
                doc["spec"]["replicas"] = 1
        return drop("HorizontalPodAutoscaler")(docs)

    return {edit_documents(project, "prod/payments/workloads/manifest.yaml", change)}


def move_service_account_to_another_tenants_file(project: Path) -> set[str]:
    """Unlabelled, the account's scope comes from its new path (search) while its namespace
    stays identity's: only its namespace key still ties it to the pods that use it."""
    moved: list[dict] = []

    def take(docs: list[dict]) -> list[dict]:
        for doc in docs:
            if doc["kind"] == "ServiceAccount":
                doc["metadata"].pop("labels")
                moved.append(doc)
        return drop("ServiceAccount")(docs)

    return {edit_documents(project, "prod/identity/workloads/manifest.yaml", take),
            edit_documents(project, "prod/search/workloads/manifest.yaml",
                           lambda docs: [*docs, *moved])}


def delete_the_moved_account(project: Path) -> set[str]:
    """identity's files are untouched, yet its pods now use an account that is gone."""
    return {edit_documents(project, "prod/search/workloads/manifest.yaml",
                           lambda docs: [d for d in docs if not (
                               d["kind"] == "ServiceAccount" and "labels" not in d["metadata"])])}


def drop_velero_schedules(project: Path) -> set[str]:
    return {edit_documents(project, "prod/platform/velero/manifest.yaml", drop("Schedule"))}


def add_a_tenant(project: Path) -> set[str]:
    source, target = project / "rendered" / "dev" / "search", project / "rendered" / "dev" / "ads"
    shutil.copytree(source, target)
    changed = set()
    for path in sorted(target.rglob("*.yaml")):
        path.write_text(path.read_text().replace("search", "ads"))
        changed.add(path.relative_to(project).as_posix())
    return changed


def downgrade_a_rule_in_the_platform(project: Path) -> set[str]:
    platform = project / "catalog" / "platform.yaml"
    platform.write_text(platform.read_text().replace("  policies:\n", (
        "  policies:\n    POL-NETPOL-DEFAULT-DENY:\n      action: warn\n"
        "      reason: payments is moving to a service mesh\n"), 1))
    return set()


def add_a_stale_exception(project: Path) -> set[str]:
    """`payments/ledgr` names nothing: a warning whose hint is the closest name in the tree."""
    platform = project / "catalog" / "platform.yaml"
    platform.write_text(platform.read_text().replace(
        "objects: [search/indexer]", "objects: [search/indexer, payments/ledgr]"))
    return set()


def add_a_closer_name(project: Path) -> set[str]:
    """`payments/ledgr2` ties with `payments/ledger` and wins the tie: the hint changes."""
    config = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"},
              "metadata": {"name": "ledgr2", "namespace": "payments-prod"}}
    return {edit_documents(project, "prod/payments/workloads/manifest.yaml",
                           lambda docs: [*docs, config])}


EDITS: list[Edit] = [drop_default_deny, single_replica_without_autoscaler,
                     move_service_account_to_another_tenants_file, delete_the_moved_account,
                     drop_velero_schedules,
                     add_a_tenant, downgrade_a_rule_in_the_platform, add_a_stale_exception,
                     add_a_closer_name]


def without_cache_flags(report: dict) -> dict:
    report = {**report, "summary": dict(report["summary"])}
    report["summary"].pop("checkedFiles")
    report["summary"].pop("cachedFiles")
    report["files"] = [{k: v for k, v in f.items() if k != "cached"} for f in report["files"]]
    return report


def rechecked(report: dict) -> set[str]:
    return {f["path"] for f in report["files"] if not f["cached"]}


def rules_at(report: dict, rule: str) -> list[tuple[str, str]]:
    return [(d["file"], d["severity"]) for d in report["diagnostics"] if d["rule"] == rule]


@pytest.fixture
def rendered_project(project: Path, run_cli) -> Path:
    assert run_cli("-C", str(project), "render").code == 0
    return project


def validate(run_cli, project: Path, *extra: str) -> dict:
    return validate_json(run_cli, "--no-render", "--engine", "fast", *extra, project=project)[1]


def test_each_edit_gives_the_full_runs_report_and_rechecks_only_its_files(rendered_project,
                                                                         run_cli):
    validate(run_cli, rendered_project)
    assert rechecked(validate(run_cli, rendered_project)) == set()
    for edit in EDITS:
        changed = edit(rendered_project)
        cached = validate(run_cli, rendered_project)
        full = validate(run_cli, rendered_project, "--no-cache")
        assert without_cache_flags(cached) == without_cache_flags(full), edit.__name__
        assert rechecked(cached) == changed, edit.__name__
    hints = [d["hint"] for d in full["diagnostics"] if d["rule"] == "POLICY-STALE-SCOPE"]
    assert hints and hints[0].startswith("did you mean payments/ledgr2?")


def test_a_cached_policy_verdict_follows_the_object_and_the_platform_settings(rendered_project,
                                                                              run_cli):
    before = validate(run_cli, rendered_project)
    assert not [f for f, _ in rules_at(before, "POL-NETPOL-DEFAULT-DENY")]
    guardrails = drop_default_deny(rendered_project).pop()
    after_edit = validate(run_cli, rendered_project)
    assert rules_at(after_edit, "POL-NETPOL-DEFAULT-DENY") == [(guardrails, "error")]
    downgrade_a_rule_in_the_platform(rendered_project)
    after_settings = validate(run_cli, rendered_project)
    assert rechecked(after_settings) == set()  # the files' own checks still hold
    assert rules_at(after_settings, "POL-NETPOL-DEFAULT-DENY") == [
        ("catalog/platform.yaml", "info"), (guardrails, "warning")]
