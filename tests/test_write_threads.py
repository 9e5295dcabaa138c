"""The writer on several threads: the same tree, the same guarantees, and a true output index.

Files are handed to the threads in small chunks here (`CHUNK` patched to a few files), so the
example's 53 rendered files are spread over every thread just as a 1,000-tenant tree would be.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from conftest import tree_bytes, write
from infraforge.incremental.state import STATE_FILE, RenderState
from infraforge.write import threads, writer

ROOTS = ("rendered", "appsets", "tofu/environments")


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threads, "CHUNK", 3)
    monkeypatch.setattr(threads, "THREADS", 3)


def failing_after(monkeypatch: pytest.MonkeyPatch, good: int) -> dict[str, int]:
    """Make the writer fail (disk full) once `good` files were written; the others go on slowly,
    so threads that did not stop would still be writing when the failure is cleaned up."""
    original, calls, lock = writer._write_file, {"n": 0}, threading.Lock()

    def write_file(target: str, content: bytes) -> os.stat_result:
        with lock:
            calls["n"] += 1
            number = calls["n"]
        if number == good + 1:
            raise OSError(28, "No space left on device")
        time.sleep(0.002)
        return original(target, content)

    monkeypatch.setattr(writer, "_write_file", write_file)
    return calls


def no_writer_threads_left() -> bool:
    return not any(t.name.startswith("infraforge-write") for t in threading.enumerate())


def test_threaded_failure_while_staging_leaves_previous_tree_untouched(
        project: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    before = tree_bytes(project / "rendered")
    platform = project / "catalog/platform.yaml"  # changes files of every tenant
    platform.write_text(platform.read_text().replace("monitoringNamespace: monitoring",
                                                     "monitoringNamespace: observability"))
    calls = failing_after(monkeypatch, good=4)
    result = run_cli("-C", str(project), "render")
    assert result.code == 1 and "OUTPUT-WRITE" in result.err and "No space" in result.err
    assert calls["n"] > 5, "the failure came midway, with files of other chunks written"
    # 19 files change, but every thread stops after its current chunk: at most 2 x 3 more
    # files than the 5 tried
    assert calls["n"] <= 11, "the rest were never started"
    assert no_writer_threads_left()
    assert tree_bytes(project / "rendered") == before, "previous tree must be byte-identical"
    assert not (project / "rendered" / writer.STAGING).exists()
    monkeypatch.setattr(writer, "_write_file", writer.write_file)
    assert run_cli("-C", str(project), "render").code == 0
    assert b"observability" in (project / "rendered/prod/payments/guardrails/manifest.yaml").read_bytes()


def test_threaded_failure_while_building_a_fresh_tree_leaves_nothing(
        project: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    failing_after(monkeypatch, good=10)
    result = run_cli("-C", str(project), "render")
    assert result.code == 1 and "OUTPUT-WRITE" in result.err
    assert no_writer_threads_left()
    assert sorted(p.name for p in project.iterdir() if p.name != ".infraforge-cache") == [
        "catalog", "overlays"], "no output folder, not even a half-built one"


def test_interrupt_in_a_writer_thread_stops_the_write(project: Path, run_cli,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    original = writer._write_file

    def interrupted(target: str, content: bytes) -> os.stat_result:
        if threading.current_thread().name.startswith("infraforge-write"):
            raise KeyboardInterrupt
        return original(target, content)

    monkeypatch.setattr(writer, "_write_file", interrupted)
    assert run_cli("-C", str(project), "render").code == 130
    assert no_writer_threads_left()
    assert not (project / "rendered").exists()
    assert not list(project.glob(".rendered.infraforge-new-*"))


def test_thread_count_does_not_change_the_tree(project: Path, tmp_path: Path, run_cli,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    trees = []
    for count in (1, 2, 4):
        monkeypatch.setattr(threads, "THREADS", count)
        target = f"out-{count}"
        assert run_cli("-C", str(project), "render", "-o", target).code == 0
        trees.append(tree_bytes(project / target))
    assert trees[0] == trees[1] == trees[2]
    assert json.loads(trees[0][writer.MANAGED_LIST]) == sorted(
        path for path in trees[0] if path != writer.MANAGED_LIST)


def fresh_index(root: Path) -> dict[str, list]:
    listed = json.loads((root / writer.MANAGED_LIST).read_text())
    index = {}
    for path in listed:
        info, data = (root / path).stat(), (root / path).read_bytes()
        index[path] = (info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())
    return index


def assert_index_is_true(project: Path) -> None:
    outputs = RenderState.load(project).outputs
    for name in ROOTS:
        root = (project / name).resolve()
        recorded = {path: tuple(stamp) for path, stamp in outputs[str(root)].items()}
        assert recorded == fresh_index(root), f"{name}/ index differs from the disk"


def test_output_index_equals_a_fresh_stat_of_the_files(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0  # a fresh tree
    assert_index_is_true(project)
    service = project / "catalog/tenants/search/services/query.yaml"
    service.write_text(service.read_text().replace("query:3.2.0", "query:3.3.0"))
    readme = project / "rendered/dev/payments/workloads/README.md"
    readme.write_bytes(readme.read_bytes() + b"hand edit\n")
    result = run_cli("-C", str(project), "render")  # staged changes over an existing tree
    assert "rendered/: 0 added, 3 changed, 0 removed" in result.err, result.err
    assert_index_is_true(project)
    (project / STATE_FILE).unlink()  # no index: every file is read and compared
    os.utime(project / "rendered/prod/search/workloads/manifest.yaml", ns=(1, 1))
    result = run_cli("-C", str(project), "render")
    assert "rendered/: 0 added, 0 changed, 0 removed" in result.err, result.err
    assert_index_is_true(project)


@pytest.mark.parametrize("path", ["../outside.txt", "{outside}", "dev/../../outside.txt",
                                  "./dev/../../outside.txt", "dev//../../outside.txt"])
def test_managed_list_pointing_outside_is_never_pruned(project: Path, tmp_path: Path, run_cli,
                                                       path: str) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    outside = write(tmp_path / "outside.txt", "not ours\n")
    managed = project / "rendered" / writer.MANAGED_LIST
    listed = json.loads(managed.read_text())
    managed.write_text(json.dumps([*listed, path.format(outside=outside)]))
    shutil.rmtree(project / "catalog/tenants/analytics")  # a prune must happen
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
    assert re.search(r"rendered/: \d+ added, \d+ changed, [1-9]\d* removed", result.err)
    assert outside.read_text() == "not ours\n"
    assert json.loads(managed.read_text()) == sorted(tree_bytes(project / "rendered").keys()
                                                     - {writer.MANAGED_LIST})


@pytest.mark.parametrize(("path", "safe"), [
    ("dev/search/workloads/manifest.yaml", True), (".infraforge-managed", True),
    ("a/..b/c..", True), ("a/.../b", True), ("..", False), (".", False), ("a/..", False),
    ("../a", False), ("a/./b", False), ("/a", False), ("a//b", False), ("a/", False),
    ("", False), ("a\\b", False), ("a\x00b", False)])
def test_safe_relative_paths(path: str, safe: bool) -> None:
    assert writer.is_safe_relative(path) is safe
