"""The compiler as one straight line: load → validate → resolve → render.

Every command that needs a compiled catalog calls `compile_catalog`; each stage takes the
previous stage's immutable result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infraforge.load.catalog import load_catalog
from infraforge.render.tree import RenderedTree, render_tree
from infraforge.report.terminal import Console
from infraforge.report.timing import StageTimer
from infraforge.resolve.units import Unit, resolve_units
from infraforge.validate.catalog import Catalog, validate_catalog


@dataclass(frozen=True)
class CompileResult:
    catalog: Catalog
    units: tuple[Unit, ...]
    tree: RenderedTree
    timer: StageTimer


def compile_catalog(project: Path, *, source_commit: str | None = None, verbose: int = 0,
                    console: Console | None = None) -> CompileResult:
    timer = StageTimer(enabled=verbose > 0)
    with timer.stage("load"):
        raw = load_catalog(project)
    with timer.stage("validate"):
        catalog = validate_catalog(raw)
    with timer.stage("resolve"):
        units = resolve_units(catalog)
    with timer.stage("render"):
        tree = render_tree(catalog, units, source_commit)
    return CompileResult(catalog, units, tree, timer)
