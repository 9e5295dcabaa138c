"""`infraforge render`: catalog + overlays → rendered/ (and the appsets/ entry points).

One call per stage: load → validate → resolve → render → write. `--check` stops before the
write and exits 1 listing what is stale.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from infraforge.report.terminal import Console

RENDERED, ENTRYPOINTS = "rendered", "appsets"


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
    from infraforge.pipeline import compile_catalog
    from infraforge.write.writer import plan_write, write_tree

    project = Path(args.project)
    result = compile_catalog(project, source_commit=args.source_commit, verbose=args.verbose,
                             console=console)
    targets = ((project / args.output, result.tree.files),
               (project / ENTRYPOINTS, result.tree.entrypoints))
    if args.check:
        stale = [(root, plan_write(root, files)) for root, files in targets]
        return report_check(stale, project, console)
    with result.timer.stage("write"):
        plans = [(root, write_tree(root, files)) for root, files in targets]
    result.timer.report(console)
    report_blast_radius(result.tree.units, result.tree.rerendered, console)
    for root, plan in plans:
        name = root.relative_to(project) if root.is_relative_to(project) else root
        console.info(f"{name}/: {len(plan.added)} added, {len(plan.changed)} changed, "
                     f"{len(plan.removed)} removed ({len(result.tree.units)} units, "
                     f"{result.tree.object_count} objects)" if root.name != ENTRYPOINTS else
                     f"{name}/: {len(plan.added)} added, {len(plan.changed)} changed, "
                     f"{len(plan.removed)} removed")
    return 0


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
