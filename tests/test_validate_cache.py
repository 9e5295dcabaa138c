"""The validation cache: a second run re-checks nothing; editing one file re-checks only it."""

from __future__ import annotations

import shutil

from validate_helpers import CORPUS, schema_rules, validate_json


def checked(report: dict) -> list[str]:
    return [f["path"] for f in report["files"] if not f["cached"]]


def test_second_run_rechecks_nothing_and_one_edit_rechecks_one_file(run_cli, tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(CORPUS / "good", tree)
    shutil.copy(CORPUS / "bad" / "wrong-type.yaml", tree / "wrong-type.yaml")
    _, first = validate_json(run_cli, "--tree", str(tree), project=tmp_path)
    assert len(checked(first)) == len(first["files"]) == 4
    assert (tmp_path / ".infraforge-cache" / "validate").is_dir()

    _, second = validate_json(run_cli, "--tree", str(tree), project=tmp_path)
    assert checked(second) == []
    assert second["diagnostics"] == first["diagnostics"]  # cached verdicts, same report

    edited = tree / "core.yaml"
    edited.write_text(edited.read_text().replace("replicas: 2", "replicas: 3"))
    _, third = validate_json(run_cli, "--tree", str(tree), project=tmp_path)
    assert checked(third) == [f"{tree}/core.yaml"]
    assert third["summary"]["errors"] == first["summary"]["errors"]


def test_cache_is_keyed_by_content_and_survives_corruption(run_cli, tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    bad = tree / "wrong-type.yaml"
    shutil.copy(CORPUS / "bad" / "wrong-type.yaml", bad)
    code, _ = validate_json(run_cli, "--tree", str(tree), project=tmp_path)
    assert code == 1
    for entry in (tmp_path / ".infraforge-cache").rglob("*.json"):
        entry.write_text("{not json")  # a damaged entry is a miss, never a verdict
    code, report = validate_json(run_cli, "--tree", str(tree), project=tmp_path)
    assert (code, checked(report)) == (1, [str(bad)])
    bad.write_text(bad.read_text().replace("replicas: three", "replicas: 3"))
    _, fixed = validate_json(run_cli, "--tree", str(tree), project=tmp_path)
    assert checked(fixed) == [str(bad)]  # checked again, not served from the cache
    assert schema_rules(fixed) == {}


def test_the_schema_store_is_part_of_the_key(run_cli, tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(CORPUS / "good", tree)
    validate_json(run_cli, "--tree", str(tree), "--engine", "fast", project=tmp_path)
    _, same = validate_json(run_cli, "--tree", str(tree), "--engine", "fast", project=tmp_path)
    _, other_version = validate_json(run_cli, "--tree", str(tree), "--engine", "fast",
                                     "--kubernetes-version", "1.33.1", project=tmp_path)
    assert checked(same) == []
    assert len(checked(other_version)) == 3  # another version means other core schemas
