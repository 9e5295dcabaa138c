"""The survey of the last render's output (a forked child stats it while the compiler is
imported) may spare the writer's plan its stats, but never hide a file that moved."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from infraforge.commands.render import ENTRYPOINTS, RENDERED, TOFU_INPUTS
from infraforge.incremental.state import STAGING, RenderState
from infraforge.incremental.survey import OutputSurvey
from infraforge.write import plan as plan_module
from infraforge.write.plan import plan_write

MANIFEST = "dev/search/workloads/manifest.yaml"
SERVICE = "catalog/tenants/search/services/query.yaml"


def _roots(project: Path) -> list[Path]:
    return [project / RENDERED, project / ENTRYPOINTS, project / TOFU_INPUTS]


def _survey(project: Path) -> OutputSurvey:
    survey = OutputSurvey.start(project, RenderState.load(project), _roots(project))
    assert survey is not None
    return survey


def _rendered_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_the_survey_finds_exactly_the_files_that_moved(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    (project / RENDERED / MANIFEST).write_bytes(b"edited by hand\n")
    (project / RENDERED / "prod/payments/workloads/README.md").unlink()
    moved = _survey(project).moved()
    assert moved == [frozenset({MANIFEST, "prod/payments/workloads/README.md"}), frozenset(),
                     frozenset()]


def test_the_plan_stats_what_moved_and_trusts_the_rest(project: Path, run_cli,
                                                       monkeypatch) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    root = project / RENDERED
    files, index = _rendered_files(root), RenderState.load(project).index(root)
    (root / MANIFEST).write_bytes(b"edited by hand\n")
    stats: list[str] = []
    real_stat = os.stat

    def counted(path: str, *args: object, **kwargs: object) -> os.stat_result:
        stats.append(str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(plan_module.os, "stat", counted)
    plan = plan_write(root, files, index, moved=frozenset({MANIFEST}))
    assert plan.changed == (MANIFEST,)  # the moved file is looked at and found different
    assert [path for path in stats if path.endswith((".yaml", ".md"))] == [f"{root}/{MANIFEST}"]
    stats.clear()
    plan_write(root, files, index)  # without a survey every file is stat'ed
    assert len(stats) >= len(index)


def test_a_render_saved_in_between_drops_the_survey(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    survey = _survey(project)
    service = project / SERVICE
    service.write_text(service.read_text().replace("3.2.0", "3.2.1"))
    assert run_cli("-C", str(project), "render").code == 0  # another render, saving its state
    assert survey.moved() == [None, None, None]


def test_a_root_with_a_write_to_finish_is_not_surveyed(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    (project / RENDERED / STAGING).mkdir()
    assert _survey(project).moved() == [None, frozenset(), frozenset()]


@pytest.mark.parametrize("failure", ["child", "fork"])
def test_without_a_survey_the_render_stats_everything(project: Path, run_cli, monkeypatch,
                                                      failure: str) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    (project / RENDERED / MANIFEST).write_bytes(b"edited by hand\n")
    if failure == "child":
        def broken(*_: object) -> None:
            raise OSError("disk went away")

        monkeypatch.setattr(RenderState, "moved_outputs", broken)  # the child inherits it
        assert _survey(project).moved() == [None, None, None]
    else:
        def refused() -> int:
            raise BlockingIOError(11, "Resource temporarily unavailable")

        monkeypatch.setattr(os, "fork", refused)
        assert OutputSurvey.start(project, RenderState.load(project), _roots(project)) is None
    service = project / SERVICE
    service.write_text(service.read_text().replace("3.2.0", "3.2.1"))
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
    assert b"edited by hand" not in (project / RENDERED / MANIFEST).read_bytes()
