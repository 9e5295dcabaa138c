"""`infraforge render`: catalog + overlays → rendered/ (and the appsets/ entry points and
OpenTofu's inputs in tofu/environments/).

One call per stage: load → validate → resolve → render → write. `--check` stops before the
write and exits 1 listing what is stale.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from infraforge.report.terminal import Console

if TYPE_CHECKING:
    from infraforge.incremental.state import RenderState
    from infraforge.incremental.survey import OutputSurvey
    from infraforge.load.prefetch import CatalogPrefetch
    from infraforge.pipeline import CompileResult

RENDERED, ENTRYPOINTS, TOFU_INPUTS = "rendered", "appsets", "tofu/environments"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("render", help="compile the catalog into rendered/")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 and list the files that are out of date")
    parser.add_argument("-o", "--output", default=RENDERED, metavar="DIR",
                        help="output root, relative to the project (default: rendered)")
    parser.add_argument("--source-commit", metavar="SHA",
                        help="record this catalog commit as drySha in hydrator.metadata")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from infraforge.incremental.state import RenderState

    project = Path(args.project)
    roots = (project / args.output, project / ENTRYPOINTS, project / TOFU_INPUTS)
    options = {"output": args.output, "source_commit": args.source_commit or ""}
    state = RenderState.load(project)
    if not args.check and state.is_fresh(project, list(roots), options):
        console.info("nothing changed since the last render: 0 files written")
        return 0
    return render(args, console, project, roots, state, options)


def render(args: argparse.Namespace, console: Console, project: Path, roots: tuple[Path, ...],
           state: RenderState, options: dict[str, str]) -> int:
    from infraforge.incremental.survey import OutputSurvey
    from infraforge.load.discover import CATALOG_FOLDERS
    from infraforge.load.prefetch import CatalogPrefetch

    # Children work while this process imports the compiler: one reads the catalog, one finds
    # which of the last output's files moved.
    prefetch = CatalogPrefetch.start(project, CATALOG_FOLDERS)
    survey = None if args.check else OutputSurvey.start(project, state, list(roots))
    try:
        return compile_and_write(args, console, project, roots, state, options, prefetch, survey)
    finally:
        for child in (prefetch, survey):
            if child is not None:
                child.close()


def compile_and_write(args: argparse.Namespace, console: Console, project: Path,
                      roots: tuple[Path, ...], state: RenderState, options: dict[str, str],
                      prefetch: CatalogPrefetch | None, survey: OutputSurvey | None) -> int:
    from infraforge.cli import keep_until_exit
    from infraforge.incremental.background import MIN_UNITS, alongside
    from infraforge.pipeline import compile_catalog, save_cache
    from infraforge.write.writer import plan_write, write_tree

    result = compile_catalog(project, source_commit=args.source_commit, verbose=args.verbose,
                             console=console, prefetch=prefetch, save=False)
    targets = tuple(zip(roots, (result.tree.files, result.tree.entrypoints, result.tree.tofu),
                        strict=True))
    if args.check:
        save_cache(result.unsaved)
        stale = [(root, plan_write(root, files)) for root, files in targets]
        return report_check(stale, project, console)
    # the cache is saved in a child while the tree is written, when there is much of it
    many = len(result.tree.rerendered) >= MIN_UNITS
    with result.timer.stage("write"), alongside(partial(save_cache, result.unsaved), many):
        moved = survey.moved() if survey is not None else [None] * len(targets)
        plans = [(root, write_tree(root, files, state.index(root), moved_files))
                 for (root, files), moved_files in zip(targets, moved, strict=True)]
        remember(state, project, targets, result, options, plans)
    result.timer.report(console)
    report_blast_radius(result.tree.units, result.tree.rerendered, console)
    report_writes(plans, project, result, console)
    keep_until_exit((result, state, plans))
    return 0


def remember(state: RenderState, project: Path, targets: tuple, result: CompileResult,
             options: dict[str, str], plans: list) -> None:
    """Record what this render read and wrote, for the next run's no-op check (the writer's
    plans carry the stamps it took while writing)."""
    from infraforge.incremental.collector import paused_collector
    from infraforge.incremental.state import stamps

    with paused_collector():
        state.outputs = {str(root.resolve()): stamps(root, files, plan.stamps)
                         for (root, files), (_, plan) in zip(targets, plans, strict=True)}
        state.generator, state.options = result.generator, options
        state.record_inputs(project, result.inputs, result.sources)
        state.save(project)


def report_writes(plans: list, project: Path, result: CompileResult, console: Console) -> None:
    for index, (root, plan) in enumerate(plans):
        name = root.relative_to(project) if root.is_relative_to(project) else root
        counts = f"{len(plan.added)} added, {len(plan.changed)} changed, {len(plan.removed)} removed"
        if index:  # only rendered/ has units and objects to count
            console.info(f"{name}/: {counts}")
        else:
            console.info(f"{name}/: {counts} ({len(result.tree.units)} units, "
                         f"{result.tree.object_count} objects)")


def report_blast_radius(units: tuple[str, ...], rerendered: tuple[str, ...],
                        console: Console) -> None:
    """Which tenant x environment units this change touched (the rest came from the cache)."""
    if len(rerendered) == len(units):
        return  # a cold render: every unit, nothing to single out
    shown = ", ".join(rerendered[:8]) + (", ..." if len(rerendered) > 8 else "")
    console.info(f"blast radius: {len(rerendered)} of {len(units)} units re-rendered"
                 + (f" ({shown})" if rerendered else ""))


def report_check(stale: list, project: Path, console: Console) -> int:
    out_of_date = 0
    for root, plan in stale:
        prefix = root.relative_to(project) if root.is_relative_to(project) else root
        for label, paths in (("missing", plan.added), ("changed", plan.changed),
                             ("obsolete", plan.removed)):
            for path in paths:
                console.print(f"{label}: {prefix}/{path}")
                out_of_date += 1
    if out_of_date:
        console.info(f"{out_of_date} file(s) out of date; run `infraforge render`")
        return 1
    console.info("rendered tree is up to date")
    return 0
