"""The catalog read ahead by a forked child must be exactly what the loader would read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import write
from infraforge.load import prefetch as prefetch_module
from infraforge.load.catalog import fast_documents
from infraforge.load.discover import CATALOG_FOLDERS, discover
from infraforge.load.prefetch import CatalogPrefetch, Prefetched


def _read_ahead(project: Path, known: dict | None = None) -> Prefetched | None:
    started = CatalogPrefetch.start(project, CATALOG_FOLDERS, known)
    assert started is not None
    try:
        return started.result()
    finally:
        started.close()


def test_the_child_reads_what_the_loader_reads(project: Path) -> None:
    # more than a pipe holds (64 KiB), so the parent must read while the child writes
    for index in range(40):
        write(project / f"catalog/tenants/search/services/bulk-{index}.yaml",
              f"# {index}\n" + "x: " + "y" * 4000 + "\n")
    files, problems = discover(project, CATALOG_FOLDERS)
    assert not problems and sum(len(f.raw) for f in files) > 160_000
    ahead = _read_ahead(project)
    assert ahead is not None and ahead.files == files
    # nothing known of a previous render: every file the fast path can prove is parsed ahead
    assert ahead.parsed == {f.display: data for f in files
                            if (data := fast_documents(f)) is not None}


def test_only_files_changed_since_the_last_render_are_parsed_ahead(project: Path) -> None:
    files, _ = discover(project, CATALOG_FOLDERS)
    known = {f.display: list(f.stat) for f in files}  # as the render state keeps them
    changed = project / "catalog/tenants/search/services/query.yaml"
    changed.write_text(changed.read_text().replace("3.2.0", "3.2.1"))
    ahead = _read_ahead(project, known)
    assert ahead is not None
    assert list(ahead.parsed) == ["catalog/tenants/search/services/query.yaml"]


def test_a_problem_the_loader_reports_leaves_the_reading_to_it(project: Path, run_cli) -> None:
    (project / "catalog/tenants/search/services/linked.yaml").symlink_to(
        project / "catalog/tenants/search/services/query.yaml")
    assert _read_ahead(project) is None
    result = run_cli("-C", str(project), "render")
    assert "catalog/tenants/search/services/linked.yaml: CATALOG-SYMLINK" in result.err


def test_a_failing_child_is_answered_by_reading_in_process(project: Path, run_cli,
                                                           monkeypatch) -> None:
    def broken(*_: object) -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(prefetch_module, "discover", broken)  # the forked child inherits it
    assert _read_ahead(project) is None
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
    assert "(10 units, " in result.err


def test_closing_without_reading_reaps_the_child(project: Path) -> None:
    started = CatalogPrefetch.start(project, CATALOG_FOLDERS)
    assert started is not None
    pid = started.pid
    started.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # already reaped: no zombie left behind
    assert started.result() is None


def test_no_process_to_fork_means_reading_in_process(project: Path, run_cli,
                                                      monkeypatch) -> None:
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # what EAGAIN raises

    monkeypatch.setattr(os, "fork", refused)
    assert CatalogPrefetch.start(project, CATALOG_FOLDERS) is None
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
    assert "(10 units, " in result.err
