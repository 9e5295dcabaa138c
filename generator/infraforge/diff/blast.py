"""Blast radius: which tenant × environment units a shared change reaches.

A change to an overlay, the Platform document or the generator can touch every tenant; before
anyone reads the diff, the comment says how many units change and which. Derived from the diff
itself (the `<env>/<tenant>/...` directories with changed objects), so it is exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from infraforge.diff.documents import locate
from infraforge.diff.match import ObjectChange

UnitKey = tuple[str, str]  # (environment, tenant)


@dataclass(frozen=True)
class BlastRadius:
    shared_changes: tuple[str, ...]  # shared inputs that differ: overlays/…, catalog/platform.yaml
    units: tuple[UnitKey, ...]       # tenant × environment units whose output changed
    total_units: int                 # units on either side

    @property
    def applies(self) -> bool:
        """Printed only when the change touches something shared."""
        return bool(self.shared_changes)


def blast_radius(objects: Iterable[ObjectChange], base: Mapping[str, bytes],
                 head: Mapping[str, bytes], shared_changes: Iterable[str]) -> BlastRadius:
    touched = set()
    for change in objects:
        for file in filter(None, (change.file, change.previous_file)):
            where = locate(file)
            if where.tenant:
                touched.add((where.environment, where.tenant))
    everyone = {(w.environment, w.tenant) for w in map(locate, base.keys() | head.keys())
                if w.tenant}
    return BlastRadius(tuple(sorted(shared_changes)), tuple(sorted(touched)), len(everyone))


def shared_changes(base: Mapping[str, bytes], head: Mapping[str, bytes],
                   generator: Iterable[str]) -> list[str]:
    """Shared catalog files that differ (added, removed or edited), then generator files."""
    inputs = sorted(p for p in base.keys() | head.keys() if base.get(p) != head.get(p))
    return inputs + sorted(generator)
