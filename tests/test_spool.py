"""Rendered bytes parked in the spool come back exactly; where the spool cannot take them, they
stay in memory; either way the rendered tree and the bytes cache are the ones a render with
every byte in hand would produce."""

from __future__ import annotations

import pickle
import resource
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from conftest import tree_bytes
from infraforge.incremental import parallel, spool
from infraforge.incremental.spool import Spool
from infraforge.incremental.store import CACHE_DIR

FILES = [bytes([n % 251]) * (1000 + 37 * n) for n in range(600)]  # ~7 MiB, every size its own


@contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Files this process writes cannot grow past `limit` (EFBIG): a full disk, made real."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def is_unit_file(path: str) -> bool:
    """A unit's app directories, and its tenant's Backstage file (rendered with its first unit)."""
    return ("/guardrails/" in path or "/workloads/" in path
            or (path.startswith("backstage/") and not path.endswith("/catalog-info.yaml")))


def park_pair(store: Spool, index: int) -> tuple | None:
    return store.park([FILES[index], FILES[-1 - index]])


def test_bytes_parked_by_forked_workers_read_back_exactly(monkeypatch) -> None:
    monkeypatch.setenv("INFRAFORGE_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    monkeypatch.setattr(spool, "BLOCK", 64 << 10)  # many blocks, taken by both workers
    store = Spool()
    spans = parallel.map_in_processes(partial(park_pair, store), range(len(FILES)))
    assert all(pair is not None for pair in spans)
    for index, (first, second) in enumerate(spans):
        assert store.read(first) == FILES[index]
        assert store.read(second) == FILES[-1 - index]


def test_a_full_spool_says_so_and_keeps_what_it_took() -> None:
    store = Spool()
    with file_size_limit(3 << 20):
        spans = [store.park([content]) for content in FILES]
    assert None in spans, "the limit did not stop the spool"
    taken = [(index, found[0]) for index, found in enumerate(spans) if found is not None]
    assert len(taken) > 100
    assert all(store.read(span) == FILES[index] for index, span in taken)


def test_without_a_usable_temporary_folder_the_bytes_stay_in_memory(
        project: Path, tmp_path: Path, run_cli, monkeypatch) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(project, reference)
    assert run_cli("-C", str(reference), "render").code == 0
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    assert not Spool().usable
    assert run_cli("-C", str(project), "render").code == 0
    assert tree_bytes(project / "rendered") == tree_bytes(reference / "rendered")
    assert run_cli("-C", str(project), "render", "--check").code == 0


def test_a_spool_that_fills_up_mid_render_changes_no_byte(project: Path, tmp_path: Path,
                                                          run_cli, monkeypatch) -> None:
    """Some units parked, the rest in hand: the tree is still the one rendered in one piece."""
    monkeypatch.setattr(spool, "BLOCK", 16 << 10)
    reference = tmp_path / "reference"
    shutil.copytree(project, reference)
    assert run_cli("-C", str(reference), "render").code == 0
    units_bytes = sum(len(content) for path, content in tree_bytes(reference / "rendered").items()
                      if is_unit_file(path))
    limit = 128 << 10  # above every single output and cache file, below the units' bytes
    assert units_bytes > 2 * limit
    with file_size_limit(limit):
        result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
    assert tree_bytes(project / "rendered") == tree_bytes(reference / "rendered")


def test_the_bytes_cache_written_from_the_spool_holds_the_rendered_files(
        project: Path, tmp_path: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    cold = tree_bytes(project / "rendered")
    cached: dict[str, bytes] = {}
    for shard in (project / CACHE_DIR / "compile").glob("unit-bytes-*.pickle"):
        _, entries = pickle.loads(shard.read_bytes())
        for files in entries.values():
            assert type(files) is tuple and all(type(content) is bytes for _, content in files)
            cached.update(files)
    assert cached == {path: content for path, content in cold.items() if is_unit_file(path)}
    # every unit from the cache, every byte needed: the tree comes back identical
    shutil.rmtree(project / "rendered")
    result = run_cli("-C", str(project), "render")
    assert "blast radius: 0 of" in result.err, result.err
    assert tree_bytes(project / "rendered") == cold
