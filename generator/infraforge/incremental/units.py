"""Render units through the cache, and the fresh ones in parallel.

A unit's output depends only on its own inputs (render_unit is pure), so its cache key is a hash
of the generator, the Platform document and every document in the unit's layers (overlay,
tenant, request, services), with the files they are in. A one-tenant change therefore re-renders exactly that tenant's units;
an overlay change re-renders every unit of that environment, which is its blast radius.
"""

from __future__ import annotations

from infraforge.incremental.fingerprint import digest, generator_fingerprint
from infraforge.incremental.parallel import map_in_processes
from infraforge.incremental.store import Bucket
from infraforge.render.unit import UnitOutput, render_unit
from infraforge.resolve.units import Unit


def unit_fingerprint(unit: Unit, platform: str) -> str:
    # Paths count as well as bytes: output names its source files (swapping two files' contents
    # changes the output although the set of contents is the same).
    documents = {f"{layer.doc.file}@{layer.doc.fingerprint}"
                 for layer in unit.layers if layer.doc is not None}
    for service in unit.services:
        documents.update(f"{layer.doc.file}@{layer.doc.fingerprint}"
                         for layer in service.layers if layer.doc)
    return digest(generator_fingerprint(), platform, unit.key, *sorted(documents))


def render_units(units: tuple[Unit, ...], platform: str,
                 cache: Bucket | None) -> tuple[list[UnitOutput], tuple[str, ...]]:
    """Every unit's output in order, and the keys of the units actually rendered this run."""
    keys = [unit_fingerprint(unit, platform) for unit in units] if cache is not None else []
    outputs: list[UnitOutput | None] = [cache.get(key) for key in keys] if cache else [None] * len(units)
    fresh = [index for index, output in enumerate(outputs) if output is None]
    for index, output in zip(fresh, map_in_processes(render_unit, [units[i] for i in fresh]),
                             strict=True):
        outputs[index] = output
        if cache is not None:
            cache.put(keys[index], output)
    return outputs, tuple(units[index].key for index in fresh)  # type: ignore[return-value]
