"""The compiler as one straight line: load → validate → resolve → render.

Every command that needs a compiled catalog calls `compile_catalog`; each stage takes the
previous stage's immutable result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infraforge.emit.memo import DocumentMemo
from infraforge.incremental.collector import paused_collector
from infraforge.incremental.state import files_digest
from infraforge.incremental.store import CacheStore
from infraforge.incremental.units import UnitCache, plan_units
from infraforge.load.catalog import load_catalog
from infraforge.load.discover import SourceFile
from infraforge.load.prefetch import CatalogPrefetch
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
    inputs: str = ""  # hash of every catalog file compiled (path and bytes)
    generator: str = ""  # the generator's fingerprint
    sources: tuple[SourceFile, ...] = ()  # the catalog files as read
    unsaved: tuple[Any, ...] = ()  # cache buckets left for the caller to save_cache()


def compile_catalog(project: Path, *, source_commit: str | None = None, verbose: int = 0,
                    console: Console | None = None, use_cache: bool = True,
                    prefetch: CatalogPrefetch | None = None,
                    save: bool = True) -> CompileResult:
    """The catalog compiled; `save=False` leaves saving the cache to the caller (the render
    command does it while it writes the tree)."""
    timer = StageTimer(enabled=verbose > 0)
    cache = CacheStore.for_project(project, enabled=use_cache)
    # sharded: a one-tenant change rewrites a few 64ths of the parsed catalog, not all of it
    documents, rules = cache.bucket("documents", shards=64), cache.bucket("rules")
    rendered = UnitCache.open(cache)  # bytes read only for the units a run needs
    emitted = cache.bucket("emitted", shards=4)
    with paused_collector():
        with timer.stage("load"):
            raw = load_catalog(project, documents, prefetch)
        with timer.stage("validate"):
            catalog = validate_catalog(raw, rules)
        with timer.stage("resolve"):
            units = resolve_units(catalog)
            plan = plan_units(units, catalog.platform.doc.fingerprint, rendered)
        with timer.stage("render"):
            tree = render_tree(catalog, plan, source_commit, rendered, DocumentMemo(emitted))
    buckets = (documents, rules, rendered, emitted)
    if save:
        save_cache(buckets)
    return CompileResult(catalog, units, tree, timer, files_digest(raw.files), cache.key,
                         raw.files, () if save else buckets)


def save_cache(buckets: tuple[Any, ...]) -> None:
    for bucket in buckets:
        bucket.save()  # each writes only the shards whose entries changed
