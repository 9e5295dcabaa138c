"""Strict-mode cases through the real kubeconform binary, and the example catalog end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

from validate_helpers import CORPUS, REPO, STORE, schema_rules, validate_json


def one_file_tree(tmp_path: Path, name: str) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(CORPUS / "bad" / name, tree / name)
    return tree


def test_unknown_field_is_reported_at_the_unknown_key(run_cli, tmp_path):
    code, report = validate_json(run_cli, "--tree", str(one_file_tree(tmp_path, "unknown-field.yaml")),
                                 "--no-cache", project=tmp_path)
    (problem,) = [d for d in report["diagnostics"] if d["rule"] == "SCHEMA-INVALID"]
    assert code == 1
    assert (problem["line"], problem["column"]) == (16, 11)
    assert "additional properties 'imagePullPolicyy' not allowed" in problem["message"]


def test_wrong_type(run_cli, tmp_path):
    code, report = validate_json(run_cli, "--tree", str(one_file_tree(tmp_path, "wrong-type.yaml")),
                                 "--no-cache", project=tmp_path)
    (problem,) = [d for d in report["diagnostics"] if d["rule"] == "SCHEMA-INVALID"]
    assert code == 1
    assert problem["line"] == 7
    assert "/spec/replicas: got string, want null or integer" in problem["message"]


def test_duplicate_key_is_one_problem_with_both_lines(run_cli, tmp_path):
    code, report = validate_json(run_cli, "--tree",
                                 str(one_file_tree(tmp_path, "duplicate-key.yaml")), "--no-cache",
                                 project=tmp_path)
    assert code == 1
    assert [(d["rule"], d["line"]) for d in report["diagnostics"]] == [("YAML-DUPLICATE-KEY", 8)]
    assert "first set on line 7" in report["diagnostics"][0]["message"]


def test_missing_schema_is_an_error_unless_the_kind_is_allowed(run_cli, tmp_path):
    tree = str(one_file_tree(tmp_path, "missing-schema.yaml"))
    code, report = validate_json(run_cli, "--tree", tree, "--no-cache", project=tmp_path)
    assert code == 1
    assert schema_rules(report) == {f"{tree}/missing-schema.yaml": {"SCHEMA-MISSING"}}
    code, report = validate_json(run_cli, "--tree", tree, "--no-cache",
                                 "--allow-missing-schema", "Widget", project=tmp_path)
    assert schema_rules(report) == {}


def test_crd_enum_and_go_only_regex(run_cli, tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("bad-enum.yaml", "go-regex.yaml"):
        shutil.copy(CORPUS / "bad" / name, tree / name)
    code, report = validate_json(run_cli, "--tree", str(tree), "--no-cache", project=tmp_path)
    messages = sorted(d["message"] for d in report["diagnostics"] if d["rule"] == "SCHEMA-INVALID")
    assert code == 1
    assert "value must be one of 'unsupervised', 'supervised'" in messages[0]
    assert "does not match pattern '^(?i)(abort|warn)?$'" in messages[1]


def test_schema_problem_points_back_to_the_catalog_source(run_cli, tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    text = (CORPUS / "good" / "core.yaml").read_text().replace("replicas: 2", "replicas: two")
    (tree / "core.yaml").write_text(text)
    _, report = validate_json(run_cli, "--tree", str(tree), "--no-cache", project=tmp_path)
    (problem,) = [d for d in report["diagnostics"] if d["rule"] == "SCHEMA-INVALID"]
    assert problem["related"] == [{"file": "catalog/tenants/shop/services/web.yaml", "line": 0,
                                   "column": 0}]


def test_the_example_catalog_renders_and_validates_clean(run_cli, tmp_path):
    for folder in ("catalog", "overlays"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    code, report = validate_json(run_cli, "--no-cache", project=tmp_path)
    errors = [f"{d['file']}:{d['line']}: {d['rule']}: {d['message']}"
              for d in report["diagnostics"] if d["severity"] == "error"]
    assert errors == []
    assert code == 0
    assert report["summary"]["documents"] > 100
    assert {f["path"].split("/")[0] for f in report["files"]} == {"rendered", "appsets"}


def test_a_missing_kubeconform_is_a_usage_error_naming_make_tools(run_cli, tmp_path, monkeypatch):
    monkeypatch.delenv("INFRAFORGE_KUBECONFORM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run_cli("-C", str(tmp_path), "validate", "--schema-store", str(STORE), "--tree",
                     str(CORPUS / "good"))
    assert result.code == 2
    assert "make tools" in result.err
