"""One good and one bad fixture per rule of the schema side (tests/fixtures/validate/rules/RULE/).

The bad fixture must be reported under its rule; the good one must produce no problem at all
from our side (policies are tested in test_policies.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from infraforge.check.rules import RULES
from validate_helpers import FIXTURES, schema_rules, validate_json

RULE_DIR = FIXTURES / "rules"
UNFIXTURED = {"SCHEMA-ERROR", "ENGINE-DISAGREE", "YAML-ENCODING"}  # tested elsewhere


def check(run_cli, tmp_path: Path, source: Path, engine: str = "fast") -> dict[str, set[str]]:
    tree = tmp_path / "tree"
    tree.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, tree / "manifest.yaml")
    _, report = validate_json(run_cli, "--tree", str(tree), "--engine", engine, "--no-cache",
                              project=tmp_path)
    return schema_rules(report)


def test_every_rule_has_fixtures():
    assert sorted(p.name for p in RULE_DIR.iterdir()) == sorted(set(RULES) - UNFIXTURED)


@pytest.mark.parametrize("rule", sorted(set(RULES) - UNFIXTURED))
def test_bad_fixture_is_reported_and_good_one_is_clean(run_cli, tmp_path, rule):
    bad = check(run_cli, tmp_path / "bad", RULE_DIR / rule / "bad.yaml")
    assert rule in {r for rules in bad.values() for r in rules}
    assert check(run_cli, tmp_path / "good", RULE_DIR / rule / "good.yaml") == {}


def test_a_file_that_is_not_utf8(run_cli, tmp_path):
    source = tmp_path / "latin1.yaml"
    source.write_bytes("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n".encode("latin-1"))
    assert {r for rules in check(run_cli, tmp_path, source).values() for r in rules} == \
        {"YAML-ENCODING"}
