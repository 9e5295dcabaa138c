"""The PR comment and the terminal format against golden files, and the size budget.

The trees are written here (not rendered from the example catalog), so the golden files change
only when the formats do. Refresh with `pytest tests/test_diff_markdown.py --update-golden`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from infraforge.diff.format_markdown import MARKER, failure_markdown, format_markdown
from infraforge.diff.format_text import format_text
from infraforge.diff.report import DiffReport, build_report
from infraforge.diff.sides import Sides
from infraforge.diff.sources import Side
from infraforge.emit.yaml import dump_documents
from infraforge.model.kinds import PlatformSpec

GOLDEN = REPO / "tests/golden/diff"
PLATFORM = PlatformSpec.model_validate({
    "gitops": {"repoURL": "https://git.example/gitops.git"},
    "environments": [{"name": "prod", "cluster": {"name": "prod", "server": "https://k8s"}}],
    "limits": {"maxDeletedApplications": 5},
    "prices": {"currency": "USD", "vcpuMonth": 20, "memoryGiBMonth": 4, "storageGiBMonth": 0.1,
               "capabilityInstanceMonth": {"database": 15}},
})


def check_golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"{path} missing: run with --update-golden"
    assert text == path.read_text(), f"{name} differs; run with --update-golden if intended"


def deployment(tenant: str, replicas: int, image: str = "1.0", **env: str) -> dict[str, Any]:
    container = {"name": "api", "image": f"registry.example/{tenant}/api:{image}",
                 "resources": {"requests": {"cpu": "500m", "memory": "512Mi"}},
                 "env": [{"name": k, "value": v} for k, v in sorted(env.items())]}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {
        "name": "api", "namespace": f"{tenant}-prod", "labels": {"infraforge.io/tenant": tenant}},
        "spec": {"replicas": replicas, "template": {"spec": {"containers": [container]}}}}


def appset(tenants: list[str]) -> dict[str, Any]:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
            "metadata": {"name": "tenants-prod", "namespace": "argocd"},
            "spec": {"goTemplate": True, "goTemplateOptions": ["missingkey=error"],
                     "generators": [{"list": {"elements": [
                         {"tenant": t, "path": f"prod/{t}/workloads"} for t in tenants]}}],
                     "syncPolicy": {"applicationsSync": "create-update"},
                     "template": {"metadata": {"name": "{{.tenant}}-prod"}, "spec": {
                         "project": "{{.tenant}}", "source": {"path": "{{.path}}"},
                         "destination": {"server": "https://k8s",
                                         "namespace": "{{.tenant}}-prod"}}}}}


def side(label: str, files: dict[str, list[dict[str, Any]]], overlay: bytes) -> Side:
    data = {path: dump_documents(docs).encode() for path, docs in files.items()}
    data["README.md"] = label.encode()
    return Side(label, data, {"overlays/prod.yaml": overlay}, PLATFORM)


def report(base: dict, head: dict, allow_delete: bool = False) -> DiffReport:
    sides = Sides(side("main (0123456789ab)", base, b"replicas: 2"),
                  side("working tree", head, b"replicas: 3"), (), False)
    return build_report(sides, allow_delete)


def example() -> DiffReport:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "keys",
              "namespace": "shop-prod"}, "stringData": {"token": "do-not-print-me"}}
    base = {"prod/argocd/manifest.yaml": [appset(["legacy", "shop"])],
            "prod/shop/workloads/manifest.yaml": [deployment("shop", 2, DB_PASSWORD="one"),
                                                  secret],
            "prod/legacy/workloads/manifest.yaml": [deployment("legacy", 1)]}
    head = {"prod/argocd/manifest.yaml": [appset(["shop", "web"])],
            "prod/shop/workloads/manifest.yaml": [
                deployment("shop", 3, "1.1", DB_PASSWORD="two"),
                {**secret, "stringData": {"token": "do-not-print-me-either"}}],
            "prod/web/workloads/manifest.yaml": [deployment("web", 1, "3.0")]}
    return report(base, head)


def test_plan_comment_golden(update_golden: bool) -> None:
    comment = format_markdown(example(), details_url="https://ci.example/run/1")
    assert comment.startswith(MARKER + "\n")
    assert "do-not-print-me" not in comment and "DB_PASSWORD" in comment
    check_golden("plan.md", comment, update_golden)


def test_plan_text_golden(update_golden: bool) -> None:
    check_golden("plan.txt", format_text(example()), update_golden)


def test_the_summary_reads_like_a_plan() -> None:
    first = format_markdown(example()).splitlines()[3]
    # apps: web created, legacy deleted, shop's content changed; objects: the ApplicationSet,
    # shop's Deployment and Secret changed, web's Deployment created, legacy's deleted;
    # cost at 20/vCPU, 4/GiB: shop 0.5 vCPU x (3-2) x 20 = 10 + 0.5 GiB x 1 x 4 = 2 -> +12,
    # legacy -12, web +12: +12.00
    assert first == "**3 applications +1 ~1 -1 · 5 objects +1 ~3 -1 · cost +$12.00/month**"


def test_prod_deletion_is_a_caution_until_allowed() -> None:
    refused = format_markdown(example())
    assert "> [!CAUTION]" in refused and "prod/legacy-prod" in refused
    assert example().exit_code == 2
    base = {"prod/argocd/manifest.yaml": [appset(["legacy"])],
            "prod/legacy/workloads/manifest.yaml": [deployment("legacy", 1)]}
    allowed = report(base, {"prod/argocd/manifest.yaml": [appset([])]}, allow_delete=True)
    assert "> [!WARNING]" in format_markdown(allowed) and allowed.exit_code == 1


@functools.cache
def oversized() -> DiffReport:
    """400 tenants whose Deployment changed: over 200k characters of details."""
    tenants = [f"team{i:03d}" for i in range(400)]
    base = {f"prod/{t}/workloads/manifest.yaml": [deployment(t, 2)] for t in tenants}
    head = {f"prod/{t}/workloads/manifest.yaml": [deployment(t, 3, "2.0", LOG="json")]
            for t in tenants}
    base["prod/argocd/manifest.yaml"] = head["prod/argocd/manifest.yaml"] = [appset(tenants)]
    return report(base, head)


def test_oversized_diff_degrades_within_the_limit(update_golden: bool) -> None:
    big = oversized()
    full = format_markdown(big, max_length=10_000_000)
    assert len(full) > 200_000  # what would not fit in a comment
    comment = format_markdown(big, details_url="https://ci.example/run/1")
    assert len(comment) <= 60_000
    assert "application(s) left out to keep this comment under GitHub's size limit" in comment
    assert "[the full diff](https://ci.example/run/1)" in comment
    assert comment.count("```diff") > 0  # the first apps keep their diffs
    check_golden("oversized.md", comment, update_golden)


@pytest.mark.parametrize("limit", [3_000, 8_000, 20_000])
def test_tighter_budgets_drop_diffs_then_apps_then_rows(limit: int) -> None:
    comment = format_markdown(oversized(), max_length=limit)
    assert len(comment) <= limit
    assert comment.startswith(MARKER) and "400 applications +0 ~400 -0" in comment


def test_summary_only_when_nothing_else_fits(update_golden: bool) -> None:
    comment = format_markdown(oversized(), max_length=1_200)
    assert len(comment) <= 1_200 and "#### Changes" not in comment
    check_golden("summary-only.md", comment, update_golden)


def test_failure_comment_fences_its_content(update_golden: bool) -> None:
    comment = failure_markdown("the catalog at main (0123456789ab) does not compile",
                               ["overlays/dev.yaml:3:5: INVALID-VALUE: ```nasty``` value"])
    assert "\n````text\n" in comment  # longer than any backtick run inside
    check_golden("failure.md", comment, update_golden)


def test_goldens_are_under_the_comment_limit() -> None:
    for path in Path(GOLDEN).glob("*.md"):
        assert len(path.read_text()) <= 60_000, path.name
