"""Roll-forward from a journal left by a killed run: flat staging, older layouts, hostile paths."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import write
from infraforge.write import writer


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
