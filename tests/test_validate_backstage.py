"""Backstage files judged by Backstage's own code (tests/backstage, @backstage/catalog-model
1.10.3 via `npm ci`) and by our Python re-statement of the same rules: they must agree."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from validate_helpers import FIXTURES, REPO, schema_rules, validate_json

NODE_DIR = REPO / "tests" / "backstage"
CASES = sorted(p for p in (FIXTURES / "rules").glob("BACKSTAGE-*/*.yaml"))


@pytest.fixture(scope="module")
def backstage_check():
    """Run check-entities.js; installs the pinned packages with `npm ci` when they are missing."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not installed: `npm ci --prefix tests/backstage` is impossible")
    if not (NODE_DIR / "node_modules" / "@backstage" / "catalog-model").is_dir():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"`npm ci` failed here: {done.stderr.strip()[-300:]}")

    def run(*files: Path) -> list[dict]:
        done = subprocess.run(["node", "check-entities.js", *map(str, files)], cwd=NODE_DIR,
                              capture_output=True, text=True, check=False)
        assert done.returncode in (0, 1), done.stderr
        return [json.loads(line) for line in done.stdout.splitlines()]

    return run


def test_rendered_backstage_files_pass_backstages_own_policies(backstage_check, project, run_cli):
    assert run_cli("-C", str(project), "render").code == 0
    files = sorted((project / "rendered" / "backstage").glob("*.yaml"))
    verdicts = backstage_check(*files)
    assert len(verdicts) >= len(files) + 4
    assert [v for v in verdicts if not v["ok"]] == []
    _, report = validate_json(run_cli, "--tree", str(project / "rendered" / "backstage"),
                              "--engine", "fast", "--no-cache", project=project)
    assert schema_rules(report) == {}


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_our_rules_agree_with_backstage(backstage_check, run_cli, tmp_path, case):
    (verdict,) = backstage_check(case)
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(case, tree / "entity.yaml")
    _, report = validate_json(run_cli, "--tree", str(tree), "--engine", "fast", "--no-cache",
                              project=tmp_path)
    ours = {rule for rules in schema_rules(report).values() for rule in rules}
    assert verdict["ok"] is (case.stem == "good"), verdict
    assert bool(ours) is not verdict["ok"], (ours, verdict)
