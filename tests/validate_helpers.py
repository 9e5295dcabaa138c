"""Shared by the tests/test_validate_*.py files: the real kubeconform, fixture paths, and
running `infraforge validate` with a JSON report read back."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "validate"
CORPUS = FIXTURES / "corpus"
STORE = REPO.parent / "shared" / "schemas"


def kubeconform_binary() -> str:
    """The real binary, found as `infraforge validate` finds it; never skipped: CI has it."""
    for candidate in (os.environ.get("INFRAFORGE_KUBECONFORM"),
                      str(REPO / ".tools" / "bin" / "kubeconform"), shutil.which("kubeconform")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("kubeconform not found: run `make tools` (installs v0.7.0 into .tools/bin) or set "
                "INFRAFORGE_KUBECONFORM", pytrace=False)


def validate_json(run_cli, *args: str, project: Path = REPO) -> tuple[int, dict]:
    result = run_cli("-C", str(project), "validate", "--format", "json", "--schema-store",
                     str(STORE), "--kubeconform", kubeconform_binary(), *args)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def schema_rules(report: dict) -> dict[str, set[str]]:
    """File → the rules of our schema side (policies are tested on their own)."""
    found: dict[str, set[str]] = {}
    for item in report["diagnostics"]:
        if not item["rule"].startswith("POL-"):
            found.setdefault(item["file"], set()).add(item["rule"])
    return found


def positions(report: dict, prefix: str = "") -> set[tuple[str, int, int, str]]:
    return {(d["file"], d["line"], d["column"], d["rule"]) for d in report["diagnostics"]
            if d["rule"].startswith(prefix) and not d["rule"].startswith("POL-")}
