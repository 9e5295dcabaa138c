"""Forked help in loading the catalog: what a child reads ahead, and the half of many files a
child parses, must be exactly what the loader would read and parse itself."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import write
from infraforge.load import catalog as catalog_module
from infraforge.load import prefetch as prefetch_module
from infraforge.load.catalog import load_catalog
from infraforge.load.discover import CATALOG_FOLDERS, SourceFile, discover
from infraforge.load.prefetch import CatalogPrefetch


def _read_ahead(project: Path) -> list[SourceFile] | None:
    started = CatalogPrefetch.start(project, CATALOG_FOLDERS)
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
    assert ahead is not None and ahead == files


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


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_many_files_are_parsed_half_in_a_child_with_the_same_result(
        project: Path, tmp_path: Path, run_cli, monkeypatch) -> None:
    inline = load_catalog(project)
    children: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted_fork)
    monkeypatch.setattr(catalog_module, "SPLIT_PARSING_AT", 2)
    split = load_catalog(project)
    assert children, "the example catalog's files were not split with a child"
    assert [(d.file, d.index, d.data) for d in split.documents] == \
        [(d.file, d.index, d.data) for d in inline.documents]
    # and through the command: the same tree as a render that parses every file itself
    other = tmp_path / "other"
    shutil.copytree(project, other)
    assert run_cli("-C", str(project), "render").code == 0
    monkeypatch.setattr(catalog_module, "SPLIT_PARSING_AT", 10**9)
    assert run_cli("-C", str(other), "render").code == 0
    assert _tree(project / "rendered") == _tree(other / "rendered")


def test_a_parsing_child_that_dies_leaves_its_half_to_the_loader(project: Path,
                                                                 monkeypatch) -> None:
    inline = load_catalog(project)
    parent = os.getpid()
    real = catalog_module._all_fast_documents

    def dies_in_the_child(files: list) -> list:
        if os.getpid() != parent:
            os._exit(9)  # killed mid-parse: no result reaches the pipe
        return real(files)

    monkeypatch.setattr(catalog_module, "_all_fast_documents", dies_in_the_child)
    monkeypatch.setattr(catalog_module, "SPLIT_PARSING_AT", 2)
    split = load_catalog(project)
    assert [d.data for d in split.documents] == [d.data for d in inline.documents]
