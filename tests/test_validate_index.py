"""The validation index: one file per context, kept across engines and partial runs, and the
cache's earlier layout cleared away."""

from __future__ import annotations

import shutil

from validate_helpers import CORPUS, validate_json

CACHE = (".infraforge-cache", "validate")


def rechecked(report: dict) -> int:
    return sum(not f["cached"] for f in report["files"])


def test_both_engines_stay_warm_and_the_old_layout_goes(run_cli, tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(CORPUS / "good", tree)
    old = tmp_path.joinpath(*CACHE, "ab")
    old.mkdir(parents=True)
    (old / "ab12.json").write_text("{}")
    tmp_path.joinpath(*CACHE, "documents-00.pickle").write_bytes(b"old")
    for engine in ("fast", "kubeconform", "fast", "kubeconform"):
        _, report = validate_json(run_cli, "--tree", str(tree), "--engine", engine,
                                  project=tmp_path)
    assert rechecked(report) == 0
    _, report = validate_json(run_cli, "--tree", str(tree), "--engine", "fast", project=tmp_path)
    assert rechecked(report) == 0
    assert sorted(p.name[:6] for p in tmp_path.joinpath(*CACHE).iterdir()) == ["index-"] * 2


def test_validating_part_of_a_tree_keeps_the_verdicts_of_the_rest(run_cli, tmp_path):
    for root in ("rendered", "appsets"):
        shutil.copytree(CORPUS / "good", tmp_path / root)
    _, first = validate_json(run_cli, "--no-render", "--engine", "fast", project=tmp_path)
    assert rechecked(first) == len(first["files"]) == 6
    _, part = validate_json(run_cli, "--tree", str(tmp_path / "appsets"), "--engine", "fast",
                            project=tmp_path)
    assert rechecked(part) == 3  # shown by another path, so judged again
    _, again = validate_json(run_cli, "--no-render", "--engine", "fast", project=tmp_path)
    assert rechecked(again) == 0
