"""The example catalog's rendered tree, file by file, against tests/golden/example/.

Run `pytest tests/test_render_golden.py --update-golden` after an intended output change and
review the golden diff like any other code change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, tree_bytes

GOLDEN = REPO / "tests" / "golden" / "example"


def test_example_catalog_matches_golden_tree(project: Path, run_cli, update_golden: bool) -> None:
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
    rendered = tree_bytes(project / "rendered") | {
        f"{folder}/{name}": data for folder in ("appsets", "tofu/environments")
        for name, data in tree_bytes(project / folder).items()}
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in rendered.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    golden = tree_bytes(GOLDEN)
    assert sorted(rendered) == sorted(golden), "files added or removed; see --update-golden"
    for path, data in rendered.items():
        assert data == golden[path], f"{path} differs from its golden file"


def test_example_renders_every_kind_issue_2_lists(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    text = "\n".join(p.read_text() for p in (project / "rendered").rglob("*.yaml"))
    for kind in ("Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "RoleBinding",
                 "ServiceAccount", "Deployment", "Service", "HorizontalPodAutoscaler",
                 "AppProject", "ApplicationSet", "Group", "System", "Component", "Location"):
        assert f"\nkind: {kind}\n" in text, kind
