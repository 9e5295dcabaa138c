"""The in-process fast path agrees with kubeconform on a shared corpus of good and bad documents."""

from __future__ import annotations

import json

import pytest

from infraforge.check.fastpath import is_duration
from validate_helpers import (
    CORPUS,
    FIXTURES,
    STORE,
    kubeconform_binary,
    positions,
    schema_rules,
    validate_json,
)

EXPECTED = json.loads((FIXTURES / "corpus-expected.json").read_text())


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    from infraforge.cli import main

    def run(engine: str) -> dict:
        out = tmp_path_factory.mktemp(engine) / "report.json"
        code = main(["-C", str(tmp_path_factory.mktemp("project")), "validate", "--tree",
                     str(CORPUS), "--engine", engine, "--no-cache", "--format", "json",
                     "--output", str(out), "--schema-store", str(STORE),
                     "--kubeconform", kubeconform_binary()])
        assert code == 1
        return json.loads(out.read_text())

    return {engine: run(engine) for engine in ("kubeconform", "fast")}


@pytest.mark.parametrize("engine", ["kubeconform", "fast"])
def test_each_engine_finds_exactly_the_expected_problems(reports, engine):
    found = {path.removeprefix(f"{CORPUS}/"): sorted(rules)
             for path, rules in schema_rules(reports[engine]).items()}
    assert found == {path: rules for path, rules in EXPECTED.items() if rules}


def test_both_engines_point_at_the_same_fields(reports):
    assert positions(reports["kubeconform"]) == positions(reports["fast"])
    assert len(positions(reports["fast"], "SCHEMA-")) == 8


def test_engine_both_reports_no_disagreement_on_the_corpus(run_cli, tmp_path):
    _, report = validate_json(run_cli, "--tree", str(CORPUS), "--engine", "both", "--no-cache",
                              project=tmp_path)
    assert [d for d in report["diagnostics"] if d["rule"] == "ENGINE-DISAGREE"] == []
    assert report["engine"] == "both"


def test_preserved_unknown_fields_are_the_one_known_difference(run_cli, tmp_path):
    """kubeconform rejects extra keys under x-kubernetes-preserve-unknown-fields; we do not."""
    tree = str(FIXTURES / "known-differences")
    _, slow = validate_json(run_cli, "--tree", tree, "--no-cache", project=tmp_path)
    _, fast = validate_json(run_cli, "--tree", tree, "--engine", "fast", "--no-cache",
                            project=tmp_path)
    _, both = validate_json(run_cli, "--tree", tree, "--engine", "both", "--no-cache",
                            project=tmp_path)
    assert {r for rules in schema_rules(slow).values() for r in rules} == {"SCHEMA-INVALID"}
    assert schema_rules(fast) == {}
    assert [d["rule"] for d in both["diagnostics"] if d["rule"] == "ENGINE-DISAGREE"] == \
        ["ENGINE-DISAGREE"]


@pytest.mark.parametrize(("value", "ok"), [
    ("1h30m", True), ("720h0m0s", True), ("0", True), ("1.5s", True), ("-2m", True),
    ("PT1H30M", True), ("P2W", True), ("P1DT12H", True),
    ("90d", False), ("1 h", False), ("P", False), ("PT", False), ("", False), ("h", False),
])
def test_duration_format_accepts_go_and_iso_spellings(value, ok):
    assert is_duration(value) is ok
