"""`infraforge diff` end to end: real git repositories, two commits, the real CLI.

Each test copies the example catalog into a temporary git repository, commits it, changes the
catalog (a second commit or the working tree) and runs `infraforge diff` through the entry
point, so worktree handling, both compiles and every analysis run for real.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, write

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], env=GIT_ENV, capture_output=True,
                          text=True, check=True)
    return done.stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(project: Path) -> Path:
    """The example catalog as the first commit of a fresh repository."""
    git(project, "init", "-q", "-b", "main")
    commit(project, "base")
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def copy_tenant(repo: Path, source: str, target: str) -> None:
    for path in (repo / "catalog/tenants" / source).rglob("*.yaml"):
        relative = path.relative_to(repo / "catalog/tenants" / source)
        write(repo / "catalog/tenants" / target / relative, path.read_text().replace(source,
                                                                                     target))


def set_limit(repo: Path, limit: int) -> None:
    path = repo / "catalog/platform.yaml"
    text, count = re.subn(r"maxDeletedApplications: \d+", f"maxDeletedApplications: {limit}",
                          path.read_text())
    assert count == 1
    path.write_text(text)


def diff_json(run_cli, repo: Path, *args: str):
    result = run_cli("-C", str(repo), "diff", "--format", "json", *args)
    return result, json.loads(result.out)


def names(data, action: str) -> set[str]:
    return {a["name"] for a in data["applications"] if a["action"] == action}


def objects(data, action: str, kind: str | None = None) -> list[dict]:
    return [o for o in data["objects"] if o["action"] == action and kind in (None, o["kind"])]


# --- no change ------------------------------------------------------------------------------

def test_unchanged_catalog_exits_0(run_cli, repo: Path) -> None:
    result = run_cli("-C", str(repo), "diff")
    assert result.code == 0, result.err
    assert "Plan: no changes" in result.out


def test_reordered_catalog_keys_are_no_change(run_cli, repo: Path) -> None:
    # a different key order in the catalog renders the same objects
    edit(repo / "overlays/dev.yaml", "access:\n    ownerRole: edit\n",
         "access: {ownerRole: edit}\n")
    result, data = diff_json(run_cli, repo)
    assert (result.code, data["objects"], data["applications"]) == (0, [], [])


# --- tenants added, removed, renamed ----------------------------------------------------------

def test_tenant_added(run_cli, repo: Path) -> None:
    copy_tenant(repo, "identity", "billing")
    result, data = diff_json(run_cli, repo)
    assert result.code == 1, result.err
    assert {"billing-dev", "billing-staging", "billing-prod"} <= names(data, "create")
    assert names(data, "delete") == set()
    added = objects(data, "added", "Namespace")
    assert {o["name"] for o in added} == {"billing-dev", "billing-staging", "billing-prod"}
    assert all(o["diff"].startswith("+apiVersion: v1") for o in added)
    # no other tenant changes; the platform's lists (ApplicationSets, projects) do
    assert all(o["tenant"] in ("", "billing") for o in data["objects"])
    assert {o["tenant"] for o in objects(data, "added")} >= {"billing"}
    assert data["blastRadius"]["sharedChanges"] == []  # nothing shared was touched
    assert float(data["summary"]["costDelta"]) > 0
    assert data["deletionBudget"]["breached"] is False


def test_tenant_removed_outside_prod(run_cli, repo: Path) -> None:
    set_limit(repo, 50)
    commit(repo, "a generous budget")
    shutil.rmtree(repo / "catalog/tenants/analytics")
    result, data = diff_json(run_cli, repo)
    assert result.code == 1, result.err
    deleted = names(data, "delete")
    assert {"analytics-dev", "analytics-staging"} <= deleted
    assert all(name.startswith("analytics-") for name in deleted)
    assert {o["name"] for o in objects(data, "removed", "Namespace")} == {
        "analytics-dev", "analytics-staging"}
    assert all(o["diff"] == "" for o in objects(data, "removed"))  # bodies of removed: hidden
    assert data["deletionBudget"] == {"limit": 50, "deleted": sorted(
        f"{a['environment']}/{a['name']}" for a in data["applications"]
        if a["action"] == "delete"), "prod": [], "breached": False, "allowed": False}


def test_tenant_renamed(run_cli, repo: Path) -> None:
    copy_tenant(repo, "identity", "accounts")
    shutil.rmtree(repo / "catalog/tenants/identity")
    result, data = diff_json(run_cli, repo, "--allow-delete")
    assert result.code == 1, result.err
    envs = ("dev", "staging", "prod")
    for kind in ("Namespace", "Deployment", "ResourceQuota", "Service"):
        pairs = {(o["previous"]["namespace"] or o["previous"]["name"],
                  o["namespace"] or o["name"]) for o in objects(data, "renamed", kind)}
        assert pairs == {(f"identity-{env}", f"accounts-{env}") for env in envs}, kind
        assert objects(data, "added", kind) == objects(data, "removed", kind) == []
    namespace = next(o for o in objects(data, "renamed", "Namespace") if o["environment"] == "dev")
    assert "-  name: identity-dev" in namespace["diff"].splitlines()
    assert "+  name: accounts-dev" in namespace["diff"].splitlines()
    # ArgoCD sees new Applications and deleted ones: the preview says so
    assert {"accounts-prod", "identity-prod"} <= names(data, "create") | names(data, "delete")


def test_service_renamed(run_cli, repo: Path) -> None:
    service = repo / "catalog/tenants/search/services/query.yaml"
    service.rename(service.with_name("lookup.yaml"))
    edit(service.with_name("lookup.yaml"), "name: query", "name: lookup")
    result, data = diff_json(run_cli, repo)
    assert result.code == 1, result.err
    renamed = {(o["environment"], o["previous"]["name"], o["name"])
               for o in objects(data, "renamed", "Deployment")}
    environments = re.search(r"environments: \[(.*)\]",
                             (repo / "catalog/tenants/search/tenant.yaml").read_text())
    assert environments, "the search tenant lists its environments"
    assert renamed == {(env.strip(), "query", "lookup")
                       for env in environments.group(1).split(",")}
    assert objects(data, "added", "Deployment") == objects(data, "removed", "Deployment") == []


# --- shared changes and their blast radius ----------------------------------------------------

def test_overlay_change_reports_its_blast_radius(run_cli, repo: Path) -> None:
    edit(repo / "overlays/staging.yaml", 'requests: {cpu: "8"', 'requests: {cpu: "9"')
    result, data = diff_json(run_cli, repo)
    assert result.code == 1, result.err
    staging = sorted(f"staging/{t.name}" for t in (repo / "catalog/tenants").iterdir()
                     if "staging" in (t / "tenant.yaml").read_text())
    assert data["blastRadius"] == {"sharedChanges": ["overlays/staging.yaml"], "units": staging,
                                   "totalUnits": data["blastRadius"]["totalUnits"]}
    quotas = objects(data, "changed", "ResourceQuota")
    assert {o["namespace"] for o in quotas} == {f"{u.split('/')[1]}-staging" for u in staging}
    assert '-    requests.cpu: "8"' in quotas[0]["diff"] and '+    requests.cpu: "9"' in quotas[0][
        "diff"]
    text = run_cli("-C", str(repo), "diff").out
    assert f"output changes in {len(staging)} of " in text


def test_tenant_change_has_no_blast_radius_section(run_cli, repo: Path) -> None:
    edit(repo / "catalog/tenants/search/services/query.yaml", "image: ", "image: x")
    result = run_cli("-C", str(repo), "diff")
    assert result.code == 1
    assert "Blast radius" not in result.out
    assert re.search(r"~ Deployment search-(dev|staging|prod)/query", result.out)


# --- the deletion budget ------------------------------------------------------------------------

def test_deleting_a_prod_application_is_refused(run_cli, repo: Path) -> None:
    set_limit(repo, 50)
    commit(repo, "a generous budget")
    shutil.rmtree(repo / "catalog/tenants/identity")
    result = run_cli("-C", str(repo), "diff")
    assert result.code == 2
    assert "deletion budget exceeded" in result.err and "prod/identity-prod" in result.err
    assert "infraforge/allow-delete" in result.err
    allowed, data = diff_json(run_cli, repo, "--allow-delete")
    assert allowed.code == 1
    assert data["deletionBudget"]["breached"] and data["deletionBudget"]["allowed"]
    assert "prod/identity-prod" in data["deletionBudget"]["prod"]


def test_more_deletions_than_the_limit_are_refused(run_cli, repo: Path) -> None:
    set_limit(repo, 1)
    commit(repo, "a budget of one")
    shutil.rmtree(repo / "catalog/tenants/analytics")  # dev and staging only: no prod
    set_limit(repo, 100)  # raising the budget in the same change does not help
    result, data = diff_json(run_cli, repo)
    assert result.code == 2
    assert data["deletionBudget"]["limit"] == 1 and data["deletionBudget"]["prod"] == []
    assert len(data["deletionBudget"]["deleted"]) > 1
    assert data["exitCode"] == 2


# --- the ApplicationSet preview through the CLI -------------------------------------------------

def test_platform_change_changes_every_application(run_cli, repo: Path) -> None:
    edit(repo / "catalog/platform.yaml", "renderedBranch: rendered", "renderedBranch: deployed")
    result, data = diff_json(run_cli, repo)
    assert result.code == 1
    changed = [a for a in data["applications"] if a["action"] == "change"]
    assert changed and not names(data, "create") and not names(data, "delete")
    tenant_apps = [a for a in changed if a["origin"].startswith("ApplicationSet tenants-")]
    assert tenant_apps and all("spec.source.targetRevision" in a["fields"] for a in tenant_apps)
    assert "catalog/platform.yaml" in data["blastRadius"]["sharedChanges"]


# --- two commits, all outputs, cleanup ------------------------------------------------------------

def test_two_commits_end_to_end(run_cli, repo: Path,
                                tmp_path_factory: pytest.TempPathFactory) -> None:
    edit(repo / "catalog/tenants/search/services/query.yaml", "image: ", "image: x")
    copy_tenant(repo, "identity", "billing")
    commit(repo, "second")
    out = tmp_path_factory.mktemp("out")
    result = run_cli("-C", str(repo), "diff", "--base", "HEAD~1", "--head", "HEAD",
                     "--write", f"json={out / 'diff.json'}", "--write", f"markdown={out / 'c.md'}",
                     "--write", f"step-summary={out / 's.md'}", "--write", f"text={out / 'd.txt'}")
    assert result.code == 1, result.err
    assert result.out.startswith("infraforge diff: HEAD~1 (")
    data = json.loads((out / "diff.json").read_text())
    assert (data["format"], data["version"], data["exitCode"]) == ("infraforge.diff", 1, 1)
    assert re.fullmatch(r"HEAD \([0-9a-f]{12}\)", data["head"])
    comment = (out / "c.md").read_text()
    assert comment.startswith("<!-- infraforge-diff -->\n") and len(comment) <= 60_000
    assert "billing-prod" in comment and (out / "s.md").read_text().startswith("<!-- infra")
    assert (out / "d.txt").read_text() == result.out.replace("\x1b", "")
    # the temporary worktrees are gone, and the working tree was not touched
    assert git(repo, "worktree", "list", "--porcelain").count("worktree ") == 1
    assert git(repo, "status", "--porcelain") == ""


def test_working_tree_against_head_sees_uncommitted_changes(run_cli, repo: Path) -> None:
    edit(repo / "catalog/tenants/search/services/query.yaml", "image: ", "image: x")
    assert run_cli("-C", str(repo), "diff", "--head", "HEAD").code == 0
    assert run_cli("-C", str(repo), "diff").code == 1


# --- errors are exit 2 ------------------------------------------------------------------------------

def test_unknown_ref_is_an_error(run_cli, repo: Path) -> None:
    result = run_cli("-C", str(repo), "diff", "--base", "no-such-branch")
    assert result.code == 2
    assert "'no-such-branch' is not a commit" in result.err


def test_not_a_repository_is_an_error(run_cli, project: Path) -> None:
    result = run_cli("-C", str(project), "diff")
    assert result.code == 2
    assert "git rev-parse" in result.err


def test_a_broken_base_is_an_error_with_a_comment(run_cli, repo: Path) -> None:
    edit(repo / "overlays/dev.yaml", "ownerRole: edit", "ownerRole: admin")
    commit(repo, "broken")
    edit(repo / "overlays/dev.yaml", "ownerRole: admin", "ownerRole: edit")
    result = run_cli("-C", str(repo), "diff", "--format", "markdown")
    assert result.code == 2
    assert result.out.startswith("<!-- infraforge-diff -->\n### InfraForge plan failed")
    assert "overlays/dev.yaml:" in result.out and "overlays/dev.yaml:" in result.err


# --- the base's own generator: a generator change shows as moves ----------------------------------

@pytest.mark.slow
def test_base_generator_shows_objects_moved_between_files(run_cli, repo: Path) -> None:
    shutil.copytree(REPO / "generator", repo / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    argocd = repo / "generator/infraforge/render/argocd.py"
    original = argocd.read_text()
    edit(argocd, 'return f"{env}/{tenant}/workloads"', 'return f"{env}/{tenant}/apps"')
    commit(repo, "workloads under apps/")
    argocd.write_text(original)
    commit(repo, "workloads under workloads/")
    result, data = diff_json(run_cli, repo, "--base", "HEAD~1", "--head", "HEAD",
                             "--base-generator")
    assert result.code == 1, result.err
    moved = objects(data, "moved", "Deployment")
    assert moved and all(o["previousFile"] == o["file"].replace("/workloads/", "/apps/")
                         for o in moved)
    assert all(o["diff"] == "" for o in moved)  # same object, only its file changed
    paths = {a["name"]: a["fields"] for a in data["applications"] if a["action"] == "change"}
    assert paths and all(fields == ["spec.source.path"] for fields in paths.values())
    assert any("base was rendered with its own generator" in note for note in data["notes"])
    # without --base-generator both sides use head's generator: only the note remains
    same, plain = diff_json(run_cli, repo, "--base", "HEAD~1", "--head", "HEAD")
    assert (same.code, plain["objects"]) == (0, [])
    assert any("pass --base-generator" in note for note in plain["notes"])


def test_colour_on_request_and_a_project_in_a_subdirectory(run_cli, tmp_path: Path) -> None:
    project = tmp_path / "platform"
    for folder in ("catalog", "overlays"):
        shutil.copytree(REPO / folder, project / folder)
    write(tmp_path / "README.md", "a repository with the catalog one level down\n")
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "base")
    edit(project / "catalog/tenants/search/services/query.yaml", "image: ", "image: x")
    result = run_cli("-C", str(project), "--color", "always", "diff")
    assert result.code == 1, result.err
    assert "\x1b[33m  ~ Deployment search-" in result.out  # yellow: changed
    assert "\x1b[31m-" in result.out and "\x1b[32m+" in result.out  # red/green diff lines
    plain = run_cli("-C", str(project), "--color", "never", "diff").out
    assert "\x1b[" not in plain
