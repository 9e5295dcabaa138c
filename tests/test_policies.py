"""Policy rules: one good and one bad fixture per rule, the example catalog, platform settings.

A bad fixture marks every document that must be reported with a `# expect-finding` line right
above the document's first line; the rule must report exactly those documents (file:line).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from infraforge.check.objects import RenderedObject
from infraforge.check.policies import all_rules, run_policies
from infraforge.errors import Severity
from infraforge.load.yaml_source import read_yaml_documents
from infraforge.model.kinds import PolicySetting
from infraforge.pipeline import compile_catalog
from infraforge.report.terminal import Console

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "policies"
MARKER = "# expect-finding"
RULE_IDS = [policy.id for policy in all_rules()]


def parse_objects(raw: bytes, file: str) -> list[RenderedObject]:
    documents, problems = read_yaml_documents(raw, file)
    assert not problems, [p.format() for p in problems]
    return [RenderedObject(file, doc.index, doc.positions[()].line, doc.data)
            for doc in documents]


def fixture(rule_id: str, name: str) -> tuple[str, list[RenderedObject]]:
    path = FIXTURES / rule_id / name
    display = path.relative_to(REPO).as_posix()
    return display, parse_objects(path.read_bytes(), display)


def marked_lines(rule_id: str) -> set[int]:
    lines = (FIXTURES / rule_id / "bad.yaml").read_text().splitlines()
    return {number + 1 for number, line in enumerate(lines, start=1) if line == MARKER}


def findings(objects: list[RenderedObject], rule_id: str, **settings: PolicySetting):
    return [d for d in run_policies(objects, settings)
            if d.rule == rule_id and d.severity is not Severity.INFO]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_good_fixture_passes(rule_id: str) -> None:
    _, objects = fixture(rule_id, "good.yaml")
    assert objects
    assert [d.format() for d in findings(objects, rule_id)] == []


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_bad_fixture_reports_every_marked_document(rule_id: str) -> None:
    display, objects = fixture(rule_id, "bad.yaml")
    expected = marked_lines(rule_id)
    assert expected, "a bad fixture must mark the documents it expects reported"
    reported = findings(objects, rule_id)
    assert {d.position.file for d in reported} == {display}
    assert {d.position.line for d in reported} == expected, [d.format() for d in reported]
    assert all(d.severity is Severity.ERROR and d.hint for d in reported)


def test_registry_lists_documented_rules_with_both_fixtures() -> None:
    rules = all_rules()
    assert len(rules) >= 25
    assert [r.id for r in rules] == sorted({r.id for r in rules})
    for policy in rules:
        assert re.fullmatch(r"POL(-[A-Z0-9]+)+", policy.id)
        assert policy.doc and "\n" not in policy.doc and policy.hint
        assert policy.severity in (Severity.ERROR, Severity.WARNING)
        assert (FIXTURES / policy.id / "good.yaml").is_file()
        assert (FIXTURES / policy.id / "bad.yaml").is_file()
    assert sorted(p.name for p in FIXTURES.iterdir()) == [r.id for r in rules]


def test_plaintext_secret_values_are_never_echoed() -> None:
    _, objects = fixture("POL-PLAINTEXT-SECRET", "bad.yaml")
    text = "\n".join(d.format() for d in run_policies(objects, {}))
    for value in ("correct-horse-battery-staple", "hunter2-plaintext", "AKIAIOSFODNN7EXAMPLE",
                  "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu"):
        assert value not in text
    assert "value not shown" in text


def rendered_example() -> tuple[list[RenderedObject], dict[str, PolicySetting]]:
    result = compile_catalog(REPO)
    files = {**result.tree.files,
             **{f"appsets/{name}": raw for name, raw in result.tree.entrypoints.items()}}
    objects = [obj for path, raw in sorted(files.items()) if path.endswith(".yaml")
               for obj in parse_objects(raw, path)]
    return objects, dict(result.catalog.platform.model.spec.policies)


def test_example_catalog_has_no_policy_errors() -> None:
    objects, settings = rendered_example()
    assert len(objects) > 100
    errors = [d.format() for d in run_policies(objects, settings) if d.severity is Severity.ERROR]
    assert errors == []


def test_example_catalog_trips_rules_once_broken() -> None:
    objects, _ = rendered_example()
    deployment = next(o for o in objects if o.kind == "Deployment")
    container = deployment.body["spec"]["template"]["spec"]["containers"][0]
    container["securityContext"]["privileged"] = True
    container["image"] = "nginx:latest"
    rules = {d.rule for d in run_policies(objects, {}) if d.position == deployment.position}
    assert {"POL-PRIVILEGED", "POL-IMAGE-TAG"} <= rules


def test_disabled_rule_does_not_run_and_says_why() -> None:
    _, objects = fixture("POL-EXPOSURE", "bad.yaml")
    setting = PolicySetting(action="disable", reason="the edge team owns NodePorts here")
    diagnostics = run_policies(objects, {"POL-EXPOSURE": setting})
    exposure = [d for d in diagnostics if d.rule == "POL-EXPOSURE"]
    assert [(d.severity, d.position.file) for d in exposure] == [
        (Severity.INFO, "catalog/platform.yaml")]
    assert "disabled by the platform: the edge team owns NodePorts here" in exposure[0].message


def test_downgraded_rule_reports_warnings_and_prints_the_reason() -> None:
    _, objects = fixture("POL-EXPOSURE", "bad.yaml")
    setting = PolicySetting(action="warn", reason="load balancers approved for the edge")
    diagnostics = run_policies(objects, {"POL-EXPOSURE": setting})
    exposure = [d for d in diagnostics if d.rule == "POL-EXPOSURE"]
    assert {d.severity for d in exposure} == {Severity.WARNING, Severity.INFO}
    assert len([d for d in exposure if d.severity is Severity.WARNING]) == 4
    err = io.StringIO()
    Console(io.StringIO(), err, color=False).diagnostics(diagnostics)
    assert ("catalog/platform.yaml: POL-EXPOSURE: downgraded to a warning by the platform: "
            "load balancers approved for the edge") in err.getvalue()


def test_scoped_downgrade_covers_only_the_named_objects() -> None:
    _, objects = fixture("POL-PROD-HA", "bad.yaml")
    setting = PolicySetting(action="warn", reason="web is a singleton", objects=["shop/web"])
    diagnostics = run_policies(objects, {"POL-PROD-HA": setting})
    severities = {(d.message.split(":")[0], d.severity) for d in diagnostics
                  if d.rule == "POL-PROD-HA" and d.severity is not Severity.INFO}
    assert severities == {("Deployment shop-prod/web", Severity.WARNING),
                          ("HorizontalPodAutoscaler shop-prod/api", Severity.ERROR),
                          ("Cluster shop-prod/db", Severity.ERROR),
                          ("ScaledObject shop-prod/worker", Severity.ERROR)}
    notes = [d.message for d in diagnostics if d.severity is Severity.INFO]
    assert notes == [("downgraded to a warning by the platform: web is a singleton "
                      "(only for shop/web)")]


def test_scoped_disable_accepts_namespace_names_and_leaves_the_rest_alone() -> None:
    _, objects = fixture("POL-PROD-HA", "bad.yaml")
    setting = PolicySetting(action="disable", reason="db restored from backup on loss",
                            objects=["shop-prod/db"])
    reported = findings(objects, "POL-PROD-HA", **{"POL-PROD-HA": setting})
    assert sorted(d.message.split(":")[0] for d in reported) == [
        "Deployment shop-prod/web", "HorizontalPodAutoscaler shop-prod/api",
        "ScaledObject shop-prod/worker"]
    assert all(d.severity is Severity.ERROR for d in reported)


def test_stale_scope_entry_warns_on_the_platform_file() -> None:
    _, objects = fixture("POL-PROD-HA", "bad.yaml")
    setting = PolicySetting(action="warn", reason="renamed since", objects=["shop/wbe"])
    diagnostics = run_policies(objects, {"POL-PROD-HA": setting})
    stale = [d for d in diagnostics if d.rule == "POLICY-STALE-SCOPE"]
    assert [(d.severity, d.position.file) for d in stale] == [
        (Severity.WARNING, "catalog/platform.yaml")]
    assert "spec.policies.POL-PROD-HA.objects names shop/wbe" in stale[0].message
    assert "did you mean shop/web?" in stale[0].hint
    reported = findings(objects, "POL-PROD-HA", **{"POL-PROD-HA": setting})
    assert len(reported) == len(marked_lines("POL-PROD-HA")) == 4
    assert all(d.severity is Severity.ERROR for d in reported)


def test_unknown_rule_in_settings_is_an_error_on_the_platform_file() -> None:
    setting = PolicySetting(action="disable", reason="typo")
    diagnostics = run_policies([], {"POL-PRIVILEGD": setting})
    assert [(d.rule, d.severity, d.position.file) for d in diagnostics] == [
        ("POLICY-UNKNOWN-RULE", Severity.ERROR, "catalog/platform.yaml")]
    assert "did you mean POL-PRIVILEGED?" in diagnostics[0].hint


def test_tenant_comes_from_the_rendered_path_when_labels_are_missing() -> None:
    tenant_file = "prod/shop/workloads/manifest.yaml"
    platform_file = "prod/platform/velero/manifest.yaml"
    stray = parse_objects(b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
                          b"  namespace: billing-prod\n", tenant_file)
    schedule = parse_objects(b"apiVersion: velero.io/v1\nkind: Schedule\nmetadata:\n"
                             b"  name: shop-prod\n  namespace: velero\nspec:\n  template:\n"
                             b"    includedNamespaces: [shop-prod]\n", platform_file)
    reported = findings([*stray, *schedule], "POL-TENANT-NAMESPACE")
    assert [(d.position.file, d.position.line) for d in reported] == [(tenant_file, 1)]
    assert "tenant shop in prod may only use shop-prod" in reported[0].message


def test_validate_prints_each_platform_setting_and_rejects_unknown_rules(run_cli,
                                                                         project: Path) -> None:
    platform = project / "catalog" / "platform.yaml"
    text = platform.read_text()
    assert "    POL-PROD-HA:\n      action: warn\n" in text
    platform.write_text(text.replace(
        "    POL-PROD-HA:\n      action: warn\n",
        "    POL-PRIVILEGD:\n      action: warn\n      reason: a typo\n"
        "    POL-PROD-HA:\n      action: disable\n"))
    result = run_cli("-C", str(project), "validate", "--engine", "fast", "--no-cache",
                     "--schema-store", str(REPO.parent / "shared" / "schemas"))
    report = result.out + result.err
    assert result.code == 1, report
    assert ("catalog/platform.yaml: POL-PROD-HA: disabled by the platform: search/indexer "
            "builds the index as a single writer") in report
    assert ("catalog/platform.yaml: POLICY-UNKNOWN-RULE: spec.policies names unknown rule "
            "'POL-PRIVILEGD'") in report
    assert "indexer: spec.replicas" not in report


def validate_project(run_cli, project: Path):
    return run_cli("-C", str(project), "validate", "--engine", "fast", "--no-cache",
                   "--schema-store", str(REPO.parent / "shared" / "schemas"))


def test_example_prod_ha_exception_covers_search_indexer_only(run_cli, project: Path) -> None:
    result = validate_project(run_cli, project)
    report = result.out + result.err
    assert result.code == 0, report
    assert "(only for search/indexer)" in report
    assert "POLICY-STALE-SCOPE" not in report  # indexer is in rendered/ though not in appsets/
    # a second single-replica prod service in the same tenant is still an error
    query = project / "catalog" / "tenants" / "search" / "services" / "query.yaml"
    text = query.read_text()
    assert "scaling: {minReplicas: 2, maxReplicas: 8}" in text
    query.write_text(text.replace("scaling: {minReplicas: 2,", "scaling: {minReplicas: 1,"))
    result = validate_project(run_cli, project)
    report = result.out + result.err
    assert result.code == 1, report
    lines = [line for line in report.splitlines() if ": POL-PROD-HA: " in line]
    assert any("search-prod/indexer" in line and line.endswith("[warning]") for line in lines)
    assert any("HorizontalPodAutoscaler search-prod/query: spec.minReplicas is 1" in line
               and "[" not in line for line in lines), lines


def test_example_stale_exception_is_reported_once(run_cli, project: Path) -> None:
    platform = project / "catalog" / "platform.yaml"
    text = platform.read_text()
    assert "objects: [search/indexer]\n" in text
    platform.write_text(text.replace("objects: [search/indexer]\n",
                                     "objects: [search/indexer, search/old-indexer]\n"))
    result = validate_project(run_cli, project)
    report = result.out + result.err
    assert result.code == 0, report
    stale = [line for line in report.splitlines() if "POLICY-STALE-SCOPE" in line]
    assert stale == [("catalog/platform.yaml: POLICY-STALE-SCOPE: spec.policies.POL-PROD-HA."
                      "objects names search/old-indexer, which matches no rendered object "
                      "[warning]")]
    # `--tree` may be part of a tree: an object outside it does not make an exception stale
    assert run_cli("-C", str(project), "render").code == 0
    result = run_cli("-C", str(project), "validate", "--tree", str(project / "rendered" / "dev"),
                     "--engine", "fast", "--no-cache",
                     "--schema-store", str(REPO.parent / "shared" / "schemas"))
    assert result.code == 0, result.out + result.err
    assert "POLICY-STALE-SCOPE" not in result.out + result.err


def test_scope_entries_must_be_object_names(run_cli, project: Path) -> None:
    platform = project / "catalog" / "platform.yaml"
    text = platform.read_text()
    platform.write_text(text.replace("objects: [search/indexer]", "objects: [Search/Indexer]"))
    result = validate_project(run_cli, project)
    report = result.out + result.err
    assert result.code == 1, report
    assert re.search(r"catalog/platform\.yaml:\d+:\d+: INVALID-VALUE: "
                     r"spec\.policies\.POL-PROD-HA\.objects\.0", report), report
