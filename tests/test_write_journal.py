"""Roll-forward from a journal left by a killed run: flat staging, older layouts, hostile paths."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from pathlib import Path

from conftest import tree_bytes, write
from infraforge.write import journal, threads, writer


def committed(project: Path, journal: dict, staged: dict[str, bytes]) -> Path:
    staging = project / "rendered" / writer.STAGING
    for name, data in staged.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
    (staging / writer.JOURNAL).write_text(json.dumps(journal))
    return staging


def test_flat_journal_is_rolled_forward(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    staging = committed(project, {"moves": ["notes/a.txt", "b.txt"], "deletes": [], "flat": True},
                        {"0": b"first\n", "1": b"second\n"})
    assert run_cli("-C", str(project), "render").code == 0
    assert (project / "rendered/notes/a.txt").read_bytes() == b"first\n"
    assert (project / "rendered/b.txt").read_bytes() == b"second\n"
    assert not staging.exists()


def test_a_half_applied_journal_is_finished(project: Path, run_cli) -> None:
    # killed mid-apply: one move done (its staged file is gone), one into a folder the tree does
    # not have yet, one over an existing file
    assert run_cli("-C", str(project), "render").code == 0
    (project / "rendered/done.txt").write_bytes(b"moved before the kill\n")
    existing = min((project / "rendered").rglob("manifest.yaml"))
    path = existing.relative_to(project / "rendered").as_posix()
    staging = committed(project, {"moves": ["done.txt", "new/folder/b.txt", path], "deletes": [],
                                  "flat": True}, {"1": b"second\n", "2": b"replaced\n"})
    assert run_cli("-C", str(project), "render").code == 0
    assert (project / "rendered/done.txt").read_bytes() == b"moved before the kill\n"
    assert (project / "rendered/new/folder/b.txt").read_bytes() == b"second\n"
    assert not staging.exists()
    assert b"replaced" not in existing.read_bytes(), "the render after it restores its own file"


def test_journal_of_an_older_version_is_rolled_forward(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    committed(project, {"moves": ["notes/a.txt"], "deletes": []},
              {"files/notes/a.txt": b"staged by an older version\n"})
    assert run_cli("-C", str(project), "render").code == 0
    assert (project / "rendered/notes/a.txt").read_bytes() == b"staged by an older version\n"


def test_journal_pointing_outside_the_root_is_not_followed(project: Path, tmp_path: Path,
                                                           run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    outside = write(tmp_path / "outside.txt", "not ours\n")
    staging = committed(project, {"moves": ["../moved.txt", "ok.txt"],
                                  "deletes": ["../outside.txt", str(outside)], "flat": True},
                        {"0": b"escaped\n", "1": b"inside\n"})
    assert run_cli("-C", str(project), "render").code == 0
    assert outside.read_text() == "not ours\n"
    assert not (tmp_path / "moved.txt").exists()
    assert (project / "rendered/ok.txt").read_bytes() == b"inside\n"
    assert not staging.exists()


def test_failure_while_applying_is_reported_and_finished_by_the_next_run(
        project: Path, tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setattr(threads, "CHUNK", 2)
    assert run_cli("-C", str(project), "render").code == 0
    platform = project / "catalog/platform.yaml"  # changes files of every tenant
    platform.write_text(platform.read_text().replace("monitoringNamespace: monitoring",
                                                     "monitoringNamespace: observability"))
    real_replace, moved, calls = os.replace, [], itertools.count()

    def replace(source: str, target: str) -> None:  # the 6th move of a staged file fails
        if writer.STAGING in str(source) and Path(source).name.isdigit():
            if next(calls) == 5:
                raise OSError(5, "Input/output error")
            moved.append(target)
        real_replace(source, target)

    monkeypatch.setattr(journal.os, "replace", replace)
    result = run_cli("-C", str(project), "render")
    monkeypatch.setattr(journal.os, "replace", real_replace)
    assert result.code == 1 and "OUTPUT-WRITE" in result.err and "re-run to finish" in result.err
    assert 5 <= len(moved) < 18, "some files were moved, not all 19"
    assert (project / "rendered" / writer.STAGING / writer.JOURNAL).is_file()
    assert run_cli("-C", str(project), "render").code == 0
    cold = tmp_path / "cold"
    shutil.copytree(project / "catalog", cold / "catalog")
    shutil.copytree(project / "overlays", cold / "overlays")
    assert run_cli("-C", str(cold), "render").code == 0
    assert tree_bytes(project / "rendered") == tree_bytes(cold / "rendered")
