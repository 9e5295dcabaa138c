"""A big render saves its cache in a forked child while it writes the tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import tree_bytes
from infraforge import pipeline
from infraforge.incremental import background
from infraforge.incremental.state import STATE_FILE


@pytest.fixture
def always_fork(monkeypatch) -> None:
    monkeypatch.setattr(background, "MIN_UNITS", 0)  # the example has 10 units


def test_the_cache_saved_alongside_serves_the_next_render(project: Path, run_cli,
                                                          always_fork) -> None:
    first = run_cli("-C", str(project), "render")
    assert first.code == 0, first.err
    (project / STATE_FILE).unlink()  # past the no-op check, into the cache
    second = run_cli("-C", str(project), "render")
    assert "blast radius: 0 of 10 units re-rendered" in second.err
    assert "rendered/: 0 added, 0 changed, 0 removed" in second.err


def test_a_save_that_fails_in_the_child_costs_only_the_cache(project: Path, tmp_path: Path,
                                                             run_cli, always_fork,
                                                             monkeypatch) -> None:
    def broken(buckets: tuple) -> None:
        raise OSError("cache disk full")

    monkeypatch.setattr(pipeline, "save_cache", broken)  # the forked child inherits it
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
    rendered = tree_bytes(project / "rendered")
    monkeypatch.undo()
    (project / STATE_FILE).unlink()
    again = run_cli("-C", str(project), "render")
    assert again.code == 0, again.err
    assert "blast radius" not in again.err  # every unit rendered again: nothing was cached
    assert tree_bytes(project / "rendered") == rendered


def test_no_process_to_fork_means_saving_in_process(project: Path, run_cli, always_fork,
                                                    monkeypatch) -> None:
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert run_cli("-C", str(project), "render").code == 0
    monkeypatch.undo()
    (project / STATE_FILE).unlink()
    again = run_cli("-C", str(project), "render")
    assert "blast radius: 0 of 10 units re-rendered" in again.err  # the cache was saved
