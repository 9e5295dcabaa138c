"""Plan which units to render, serve the rest from the cache, render the fresh ones in parallel.

A unit's output depends only on its own inputs (render_unit is pure), so its cache key is a hash
of the generator, the Platform document and every document in the unit's layers (overlay,
tenant, request, services), with the files they are in. A one-tenant change re-renders exactly
that tenant's units; an overlay change re-renders its environment: the blast radius. A cached
unit passed every check when it was stored, with the same inputs, so only fresh units are
checked (in the workers that render them); what they need from the platform layer is kept
with them. The cache keeps each unit's bytes apart from the rest (incremental/unit_files.py):
a run reads the bytes of the units it has to write, not of all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

from infraforge.incremental.fingerprint import digest, generator_fingerprint
from infraforge.incremental.parallel import map_in_processes
from infraforge.incremental.spool import Span, Spool
from infraforge.incremental.store import Bucket, CacheStore, LazyBucket
from infraforge.incremental.unit_files import (
    ParkedUnit,
    RenderedFiles,
    UnitFiles,
    digests_of,
    matches,
)
from infraforge.render.unit import UnitOutput, render_unit
from infraforge.resolve.unit_checks import UnitReport, check_unit, report_unit_checks
from infraforge.resolve.units import Unit
from infraforge.validate.catalog import Catalog

Digests = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CachedUnit:
    """A rendered unit as the cache keeps it: its output without the bytes, their digests."""

    output: UnitOutput
    digests: Digests
    needs: dict[str, str]


@dataclass(frozen=True)
class UnitCache:
    """Cached units (loaded every run: small) and their bytes (read per shard, on demand)."""

    units: Bucket
    blobs: LazyBucket

    @classmethod
    def open(cls, store: CacheStore) -> UnitCache:
        return cls(store.bucket("units", shards=64), store.lazy_bucket("unit-bytes", shards=256))

    def save(self) -> None:
        self.units.save()
        self.blobs.save(live=self.units.used, dead=self.units.unused)


@dataclass(frozen=True)
class PlannedRender:
    outputs: tuple[UnitOutput, ...]
    rerendered: tuple[str, ...]  # keys of the units rendered this run
    files: RenderedFiles


@dataclass(frozen=True)
class UnitPlan:
    units: tuple[Unit, ...]
    keys: tuple[str, ...]
    cached: tuple[CachedUnit | None, ...]

    @property
    def known_needs(self) -> tuple[dict[str, str], ...]:
        return tuple(hit.needs for hit in self.cached if hit is not None)


def unit_fingerprint(unit: Unit, platform: str) -> str:
    # Paths count as well as bytes: output names its source files (swapping two files' contents
    # changes the output although the set of contents is the same).
    documents = {f"{layer.doc.file}@{layer.doc.fingerprint}"
                 for layer in unit.layers if layer.doc is not None}
    documents.update(f"{entry.doc.file}@{entry.doc.fingerprint}" for entry in unit.service_entries)
    return digest(generator_fingerprint(), platform, unit.key, *sorted(documents))


def plan_units(units: tuple[Unit, ...], platform: str, cache: UnitCache | None) -> UnitPlan:
    if cache is None:
        return UnitPlan(units, ("",) * len(units), (None,) * len(units))
    keys = tuple(unit_fingerprint(unit, platform) for unit in units)
    return UnitPlan(units, keys, tuple(cache.units.get(key) for key in keys))


def render_planned(catalog: Catalog, plan: UnitPlan, cache: UnitCache | None) -> PlannedRender:
    """Every unit's output in order, the units rendered this run and the units' files.

    Fresh units are checked and rendered in one pass in the workers, where they are merged and
    their bytes parked in the spool; their problems are reported together (CatalogError) before
    anything is cached.
    """
    outputs = [hit.output if hit is not None else None for hit in plan.cached]
    fresh = [index for index, hit in enumerate(plan.cached) if hit is None]
    spool = Spool() if fresh else None
    built = map_in_processes(partial(build_unit, catalog, spool), [plan.units[i] for i in fresh])
    report_unit_checks(catalog, [report for report, _, _, _ in built], plan.known_needs)
    present: dict[str, bytes] = {}
    parked: dict[str, Span] = {}
    known = {path: sha for hit in plan.cached if hit is not None for path, sha in hit.digests}
    for index, (report, output, digests, spans) in zip(fresh, built, strict=True):
        known.update(digests)
        if spans is None:  # the spool could not take them: in hand, as they came
            files: UnitFiles | ParkedUnit = output.files
            present.update(files)
        else:
            files = ParkedUnit(spool, tuple(path for path, _ in digests), spans)  # type: ignore[arg-type]
            parked.update(zip(files.paths, spans, strict=True))
        outputs[index] = output = replace(output, files=())
        if cache is not None:
            cache.units.put(plan.keys[index], CachedUnit(output, digests, report.needs))
            cache.blobs.put(plan.keys[index], files)
    files = RenderedFiles(present, _deferred(plan), known, CachedBytes(plan, cache), parked, spool)
    return PlannedRender(tuple(outputs), tuple(plan.units[i].key for i in fresh), files)


def _deferred(plan: UnitPlan) -> dict[str, str]:
    return {path: unit.key for unit, hit in zip(plan.units, plan.cached, strict=True)
            if hit is not None for path, _ in hit.digests}


class CachedBytes:
    """Fetches a cached unit's bytes, checked against its digests; renders the unit again if
    they are missing or do not match (the cache is never trusted unchecked)."""

    def __init__(self, plan: UnitPlan, cache: UnitCache | None):
        self.plan, self.cache = plan, cache
        self.index = {unit.key: index for index, unit in enumerate(plan.units)}

    def __call__(self, unit_key: str) -> UnitFiles:
        index = self.index[unit_key]
        hit, key = self.plan.cached[index], self.plan.keys[index]
        files = self.cache.blobs.get(key) if self.cache is not None else None
        if hit is not None and matches(files, hit.digests):
            return files  # type: ignore[return-value]
        return render_unit(self.plan.units[index]).files


def build_unit(catalog: Catalog, spool: Spool | None,
               unit: Unit) -> tuple[UnitReport, UnitOutput | None, Digests, tuple[Span, ...] | None]:
    """Check one unit and, if it is clean, render it, hash its files and park their bytes in
    the spool (in the worker: only the spans travel back); spans None: the bytes came along."""
    report = check_unit(catalog, unit)
    if not report.clean:
        return report, None, (), None
    output = render_unit(unit)
    digests = digests_of(output.files)
    spans = spool.park([content for _, content in output.files]) if spool is not None else None
    return report, (output if spans is None else replace(output, files=())), digests, spans
