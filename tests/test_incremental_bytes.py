"""Cached units' bytes are read only when a write needs them, and checked when they are.

A warm render knows the units it did not re-render by their files' digests. These tests make
the writer need those bytes (a rendered file edited by hand, a damaged or missing bytes cache)
and check the result is still exactly the cold render's.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from conftest import tree_bytes
from infraforge.incremental.store import CACHE_DIR, CacheStore
from test_incremental import edit

UNTOUCHED = "rendered/prod/identity/workloads/manifest.yaml"  # not a file `edit` changes


def cold_tree(project: Path, tmp_path: Path, run_cli) -> dict[str, bytes]:
    cold = tmp_path / "cold"
    shutil.copytree(project, cold, ignore=shutil.ignore_patterns(CACHE_DIR, "rendered",
                                                                 "appsets"))
    assert run_cli("-C", str(cold), "render").code == 0
    return tree_bytes(cold / "rendered")


def byte_shards(project: Path) -> list[Path]:
    return sorted((project / CACHE_DIR / "compile").glob("unit-bytes-*.pickle"))


def test_a_hand_edited_file_of_a_cached_unit_is_restored(project: Path, tmp_path: Path,
                                                          run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    original = (project / UNTOUCHED).read_bytes()
    (project / UNTOUCHED).write_bytes(original + b"# edited by hand\n")
    edit(project)  # another tenant changes: the identity units come from the cache
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
    assert "rendered/: 0 added, 3 changed, 0 removed" in result.err
    assert (project / UNTOUCHED).read_bytes() == original
    assert tree_bytes(project / "rendered") == cold_tree(project, tmp_path, run_cli)


def test_damaged_cached_bytes_are_never_written(project: Path, tmp_path: Path,
                                                run_cli) -> None:
    """Bytes whose digest does not match (a valid pickle holding other bytes) are not used:
    the unit is rendered again."""
    assert run_cli("-C", str(project), "render").code == 0
    for shard in byte_shards(project):
        key, entries = pickle.loads(shard.read_bytes())
        damaged = {unit: tuple((path, content.replace(b"kind:", b"kind: X")) for path, content
                               in files) for unit, files in entries.items()}
        shard.write_bytes(pickle.dumps((key, damaged)))
    (project / UNTOUCHED).write_bytes(b"edited by hand\n")
    edit(project)
    assert run_cli("-C", str(project), "render").code == 0
    assert tree_bytes(project / "rendered") == cold_tree(project, tmp_path, run_cli)


def test_missing_cached_bytes_are_rendered_again(project: Path, tmp_path: Path,
                                                 run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    assert byte_shards(project)
    for shard in byte_shards(project):
        shard.unlink()
    (project / UNTOUCHED).unlink()
    edit(project)
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
    assert "rendered/: 1 added, 2 changed, 0 removed" in result.err
    assert tree_bytes(project / "rendered") == cold_tree(project, tmp_path, run_cli)


def test_a_one_tenant_change_reads_no_other_units_bytes(project: Path, run_cli,
                                                        monkeypatch) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    read: list[str] = []
    real_read = CacheStore.read

    def recording_read(store: CacheStore, name: str) -> dict:
        read.append(name)
        return real_read(store, name)

    monkeypatch.setattr(CacheStore, "read", recording_read)
    edit(project)  # search/query: two fresh units, whose bytes come from the render itself
    assert run_cli("-C", str(project), "render").code == 0
    # the shards read are the ones save() rewrites (the two units' new and old entries)
    assert len([name for name in read if name.startswith("unit-bytes-")]) <= 4
    assert len(byte_shards(project)) > 4
