"""Plan which units to render, serve the rest from the cache, render the fresh ones in parallel.

A unit's output depends only on its own inputs (render_unit is pure), so its cache key is a hash
of the generator, the Platform document and every document in the unit's layers (overlay,
tenant, request, services), with the files they are in. A one-tenant change re-renders exactly
that tenant's units; an overlay change re-renders its environment: the blast radius. A cached
unit passed every check when it was stored, with the same inputs, so only fresh units are
checked; what they need from the platform layer is kept with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from infraforge.incremental.fingerprint import digest, generator_fingerprint
from infraforge.incremental.parallel import map_in_processes
from infraforge.incremental.store import Bucket
from infraforge.render.unit import UnitOutput, render_unit
from infraforge.resolve.platform_checks import unit_needs
from infraforge.resolve.units import Unit


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
    def fresh(self) -> tuple[Unit, ...]:
        return tuple(u for u, hit in zip(self.units, self.cached, strict=True) if hit is None)

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


def render_planned(plan: UnitPlan, cache: Bucket | None) -> tuple[list[UnitOutput], tuple[str, ...]]:
    """Every unit's output in order, and the keys of the units rendered this run."""
    outputs = [hit.output if hit is not None else None for hit in plan.cached]
    fresh = [index for index, hit in enumerate(plan.cached) if hit is None]
    rendered = map_in_processes(render_unit, [plan.units[index] for index in fresh])
    for index, output in zip(fresh, rendered, strict=True):
        outputs[index] = output
        if cache is not None:
            cache.put(plan.keys[index], CachedUnit(output, unit_needs(plan.units[index])))
    return outputs, tuple(plan.units[index].key for index in fresh)  # type: ignore[return-value]
