"""Plan which units to render, serve the rest from the cache, render the fresh ones in parallel.

A unit's output depends only on its own inputs (render_unit is pure), so its cache key is a hash
of the generator, the Platform document and every document in the unit's layers (overlay,
tenant, request, services), with the files they are in. A one-tenant change re-renders exactly
that tenant's units; an overlay change re-renders its environment: the blast radius. A cached
unit passed every check when it was stored, with the same inputs, so only fresh units are
checked (in the workers that render them); what they need from the platform layer is kept
with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from infraforge.incremental.fingerprint import digest, generator_fingerprint
from infraforge.incremental.parallel import map_in_processes
from infraforge.incremental.store import Bucket
from infraforge.render.unit import UnitOutput, render_unit
from infraforge.resolve.unit_checks import UnitReport, check_unit, report_unit_checks
from infraforge.resolve.units import Unit
from infraforge.validate.catalog import Catalog


@dataclass(frozen=True)
class CachedUnit:
    output: UnitOutput
    needs: dict[str, str]


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


def plan_units(units: tuple[Unit, ...], platform: str, cache: Bucket | None) -> UnitPlan:
    if cache is None:
        return UnitPlan(units, ("",) * len(units), (None,) * len(units))
    keys = tuple(unit_fingerprint(unit, platform) for unit in units)
    return UnitPlan(units, keys, tuple(cache.get(key) for key in keys))


def render_planned(catalog: Catalog, plan: UnitPlan,
                   cache: Bucket | None) -> tuple[list[UnitOutput], tuple[str, ...]]:
    """Every unit's output in order, and the keys of the units rendered this run.

    Fresh units are checked and rendered in one pass in the workers, where they are merged;
    their problems are reported together (CatalogError) before anything is cached.
    """
    outputs = [hit.output if hit is not None else None for hit in plan.cached]
    fresh = [index for index, hit in enumerate(plan.cached) if hit is None]
    built = map_in_processes(partial(build_unit, catalog), [plan.units[i] for i in fresh])
    report_unit_checks(catalog, [report for report, _ in built], plan.known_needs)
    for index, (report, output) in zip(fresh, built, strict=True):
        outputs[index] = output
        if cache is not None:
            cache.put(plan.keys[index], CachedUnit(output, report.needs))
    return outputs, tuple(plan.units[index].key for index in fresh)  # type: ignore[return-value]


def build_unit(catalog: Catalog, unit: Unit) -> tuple[UnitReport, UnitOutput | None]:
    """Check one unit and, if it is clean, render it."""
    report = check_unit(catalog, unit)
    return report, (render_unit(unit) if report.clean else None)
