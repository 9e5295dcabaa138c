"""The pre-commit contract: exported hooks, this repository's own config, and a real run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, write
from infraforge.commands import COMMANDS
from infraforge.load.yaml_source import read_yaml_documents

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
EXPORTED = {"infraforge-fmt": "infraforge fmt", "infraforge-validate": "infraforge validate"}


def load(name: str):
    documents, problems = read_yaml_documents((REPO / name).read_bytes(), name)
    assert not problems and len(documents) == 1
    return documents[0].data


def test_exported_hooks_run_on_the_whole_catalog_serially() -> None:
    hooks = {hook["id"]: hook for hook in load(".pre-commit-hooks.yaml")}
    assert set(hooks) == set(EXPORTED)
    for hook_id, entry in EXPORTED.items():
        hook = hooks[hook_id]
        assert hook["entry"] == entry and hook["language"] == "python"
        assert hook["pass_filenames"] is False and hook["require_serial"] is True
        assert entry.split()[1] in COMMANDS
        files = re.compile(hook["files"])
        assert files.search("catalog/tenants/payments/tenant.yaml")
        assert files.search("overlays/prod.yml")
        assert not files.search("generator/infraforge/cli.py")
        assert not files.search("rendered/prod/argocd/manifest.yaml")


def test_own_config_uses_local_hooks_matching_the_exported_ones() -> None:
    config = load(".pre-commit-config.yaml")
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    assert set(hooks) == {*EXPORTED, "ruff"}
    for hook_id, entry in EXPORTED.items():
        hook = hooks[hook_id]
        assert hook["entry"] == f".venv/bin/{entry}"
        assert hook["pass_filenames"] is False and hook["require_serial"] is True
    assert hooks["ruff"]["entry"].startswith(".venv/bin/ruff check")
    for hook in hooks.values():
        assert hook["language"] == "system"  # offline: nothing cloned, nothing downloaded
        assert (REPO / hook["entry"].split()[0]).is_file()


@pytest.mark.parametrize(("command", "name"), [("validate-manifest", ".pre-commit-hooks.yaml"),
                                               ("validate-config", ".pre-commit-config.yaml")])
def test_pre_commit_accepts_both_files(command: str, name: str, tmp_path: Path) -> None:
    result = subprocess.run([str(PRE_COMMIT), command, name], check=False, cwd=REPO,
                            capture_output=True, text=True,
                            env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_fmt_hook_fixes_the_catalog_and_then_passes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for folder in ("catalog", "overlays"):
        shutil.copytree(REPO / folder, repo / folder)
    shutil.copy(REPO / ".pre-commit-config.yaml", repo)
    (repo / ".venv").symlink_to(REPO / ".venv")
    messy = write(repo / "overlays/extra.yaml", "kind: EnvironmentOverlay\napiVersion: v1\n")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)

    def hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(PRE_COMMIT), "run", "infraforge-fmt", "--all-files"],
                              check=False, cwd=repo, capture_output=True, text=True,
                              env=env)

    first = hook()
    assert first.returncode == 1 and "files were modified by this hook" in first.stdout
    assert messy.read_text() == "apiVersion: v1\nkind: EnvironmentOverlay\n"
    second = hook()
    assert second.returncode == 0, second.stdout
