"""The GitHub workflows: linted by actionlint, held to their contract, publishing run for real.

actionlint is a Go tool (`make tools` builds the pinned version into .tools/bin); without it the
lint test is skipped with that hint. The publish job's own shell steps are run against a real
bare "origin" repository, so the rendered branch, hydrator.metadata and "no empty commits" are
checked by what git ends up holding.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import REPO
from infraforge.diff.budget import deletion_budget
from infraforge.diff.format_markdown import MARKER
from test_diff import GIT_ENV, commit, git

WORKFLOWS = REPO / ".github/workflows"
NAMES = ("ci", "diff", "publish")


def workflow(name: str) -> dict[str, Any]:
    return YAML(typ="safe", pure=True).load((WORKFLOWS / f"{name}.yml").read_text())


def steps(name: str) -> list[dict[str, Any]]:
    return [step for job in workflow(name)["jobs"].values() for step in job["steps"]]


def step(name: str, step_id: str) -> dict[str, Any]:
    return next(s for s in steps(name) if s.get("id") == step_id)


def actionlint() -> str | None:
    local = REPO / ".tools/bin/actionlint"
    return str(local) if local.exists() else shutil.which("actionlint")


def test_actionlint_passes() -> None:
    binary = actionlint()
    if binary is None:
        pytest.skip("actionlint not installed: `make tools` builds it into .tools/bin")
    done = subprocess.run([binary, "-no-color", *sorted(map(str, WORKFLOWS.glob("*.yml")))],
                          capture_output=True, text=True, check=False, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    binary = actionlint()
    if binary is None:
        pytest.skip("actionlint not installed: `make tools` builds it into .tools/bin")
    broken = tmp_path / ".github/workflows/broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text((WORKFLOWS / "diff.yml").read_text().replace(
        "steps.diff.outputs.exit-code", "steps.dif.outputs.exit-code", 1))
    done = subprocess.run([binary, "-no-color", str(broken)], capture_output=True, text=True,
                          check=False, cwd=tmp_path)
    assert done.returncode == 1 and "dif" in done.stdout


@pytest.mark.parametrize("name", NAMES)
def test_actions_are_pinned_and_permissions_are_least(name: str) -> None:
    for item in steps(name):
        if "uses" in item:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", item["uses"]), item
    expected = {"ci": {"contents": "read"},
                "diff": {"contents": "read", "pull-requests": "write"},
                "publish": {"contents": "write"}}[name]
    assert workflow(name)["permissions"] == expected
    assert all("permissions" not in job for job in workflow(name)["jobs"].values())


def test_ci_runs_tests_appsets_validate_and_pre_commit() -> None:
    scripts = "\n".join(s.get("run", "") for s in steps("ci"))
    for command in ("make dev tools", "make test", "infraforge render",
                    "git diff --exit-code -- appsets/", "infraforge validate",
                    "pre-commit run --all-files"):
        assert command in scripts
    assert "render --check" not in scripts  # rendered/ is not committed on main


def test_diff_posts_one_sticky_comment_and_skips_forks() -> None:
    post = next(s for s in steps("diff") if "comment" in s.get("name", "").lower()
                and "run" in s)
    assert MARKER in post["run"] and "PATCH" in post["run"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in post["if"]
    run = step("diff", "diff")
    assert "infraforge diff --base HEAD^1 --base-generator" in run["run"]
    assert "GITHUB_STEP_SUMMARY" in run["run"]
    assert "'infraforge/allow-delete'" in run["env"]["ALLOW_DELETE"]
    assert "infraforge/allow-delete" in deletion_budget([], [0], False).message()
    artifact = next(s for s in steps("diff") if s.get("uses", "").startswith(
        "actions/upload-artifact@"))
    assert artifact["if"] == "always()" and artifact["with"]["name"] == "infraforge-diff"
    triggers = workflow("diff")["on"]
    assert {"labeled", "unlabeled"} <= set(triggers["pull_request"]["types"])


def test_publish_is_serialised() -> None:
    data = workflow("publish")
    assert data["concurrency"] == {"group": "publish-rendered", "cancel-in-progress": False}
    assert data["on"] == {"push": {"branches": ["main"]}}
    assert '--source-commit "$GITHUB_SHA"' in step("publish", "render")["run"]


# --- the publish job, run for real ----------------------------------------------------------

def run_publish(origin: Path, scratch: Path, sha: str) -> None:
    """Run the workflow's own render and publish steps in a fresh shallow clone of `origin`
    (what actions/checkout gives the job), as the runner's bash would."""
    shutil.rmtree(scratch, ignore_errors=True)
    clone, runner = scratch / "checkout", scratch / "runner"
    runner.mkdir(parents=True)
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "main",
                    origin.as_uri(), str(clone)], env=GIT_ENV, check=True, capture_output=True)
    env = {**GIT_ENV, "RUNNER_TEMP": str(runner), "GITHUB_SHA": sha,
           "BRANCH": workflow("publish")["jobs"]["publish"]["env"]["BRANCH"],
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for step_id in ("render", "publish"):
        done = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c",
                               step("publish", step_id)["run"]], cwd=clone, env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def rendered_log(origin: Path) -> list[str]:
    return git(origin, "log", "--format=%s", "rendered").splitlines()


@pytest.mark.slow
def test_publish_commits_the_rendered_tree_without_empty_commits(
        project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    origin = tmp_path_factory.mktemp("origin")
    git(origin, "init", "-q", "--bare", "-b", "main")
    git(project, "init", "-q", "-b", "main")
    commit(project, "base catalog")
    git(project, "remote", "add", "origin", str(origin))
    git(project, "push", "-q", "origin", "main")
    runner = tmp_path_factory.mktemp("runner")
    first = git(project, "rev-parse", "HEAD").strip()

    run_publish(origin, runner, first)
    assert rendered_log(origin) == ["render " + first[:12] + ": base catalog"]
    metadata = json.loads(git(origin, "show", "rendered:hydrator.metadata"))
    assert metadata["drySha"] == first
    files = git(origin, "ls-tree", "-r", "--name-only", "rendered").splitlines()
    assert "dev/argocd/manifest.yaml" in files and "README.md" in files
    assert not any(f.startswith(("catalog/", "overlays/")) for f in files)  # its own history
    body = git(origin, "log", "-1", "--format=%b", "rendered")
    assert f"Argocd-reference-commit-sha: {first}" in body

    run_publish(origin, runner, first)  # the same tree again: no empty commit
    assert len(rendered_log(origin)) == 1

    shutil.rmtree(project / "catalog/tenants/analytics")
    commit(project, "drop analytics")
    git(project, "push", "-q", "origin", "main")
    second = git(project, "rev-parse", "HEAD").strip()
    run_publish(origin, runner, second)
    assert rendered_log(origin)[0] == "render " + second[:12] + ": drop analytics"
    files = git(origin, "ls-tree", "-r", "--name-only", "rendered").splitlines()
    assert not any("/analytics/" in f for f in files)  # pruned
    assert json.loads(git(origin, "show", "rendered:hydrator.metadata"))["drySha"] == second
