"""The explain query: parse `TENANT/ENV [SERVICE] PATH`, resolve that unit, trace the value."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infraforge.errors import CatalogError, Diagnostic, Position
from infraforge.load.catalog import load_catalog
from infraforge.resolve.layers import Layer
from infraforge.resolve.provenance import Step, suggest_key, trace, value_at
from infraforge.resolve.units import resolve_unit
from infraforge.validate.catalog import Catalog, validate_catalog

ARGS = Position("<command line>")


@dataclass(frozen=True)
class Query:
    tenant: str
    environment: str
    service: str | None
    path: tuple[str, ...]

    @classmethod
    def parse(cls, unit: str, targets: list[str]) -> Query:
        tenant, _, environment = unit.partition("/")
        if not tenant or not environment or len(targets) > 2:
            raise CatalogError([Diagnostic("USAGE", "expected TENANT/ENV [SERVICE] PATH", ARGS,
                                           "e.g. infraforge explain payments/prod api replicas")])
        service = targets[0] if len(targets) == 2 else None
        return cls(tenant, environment, service, tuple(targets[-1].split(".")))

    @property
    def label(self) -> str:
        service = f" {self.service}" if self.service else ""
        return f"{self.tenant}/{self.environment}{service} {'.'.join(self.path)}"


@dataclass(frozen=True)
class Explanation:
    query: Query
    value: Any
    steps: tuple[Step, ...]

    def lines(self) -> list[str]:
        from infraforge.commands.explain import show

        lines = [f"{self.query.label} = {show(self.value)}"]
        for number, step in enumerate(self.steps, 1):
            what = {"delete": "deleted", "replace": "replaced"}.get(step.marker, show(step.value))
            lines.append(f"  {number}. {step.position}: {what}")
        if self.steps:
            lines.append(f"  the value comes from step {len(self.steps)} ({self.steps[-1].source})")
        return lines

    def as_json(self) -> dict[str, Any]:
        return {"query": self.query.label, "value": self.value, "chain": [
            {"source": s.source, "position": str(s.position), "value": s.value,
             "marker": s.marker or None} for s in self.steps]}


def answer(project: Path, query: Query) -> Explanation:
    catalog = validate_catalog(load_catalog(project))
    _check_unit(catalog, query)
    unit = resolve_unit(catalog, query.tenant, query.environment)
    data, layers = unit.settings, unit.layers
    if query.service is not None:
        service = next((s for s in unit.services if s.name == query.service), None)
        if service is None:
            _fail(f"tenant {query.tenant!r} has no service {query.service!r}",
                  suggest_key({s.name: 1 for s in unit.services}, query.service))
        data, layers = service.settings, service.layers
    return _explain(query, data, layers)


def _explain(query: Query, data: Any, layers: tuple[Layer, ...]) -> Explanation:
    found, value, deepest = value_at(data, query.path)
    if not found:
        missing = query.path[len(deepest)]
        _fail(f"no value at {'.'.join(query.path)!r} ({missing!r} not found)",
              suggest_key(value, missing))
    return Explanation(query, value, tuple(trace(layers, query.path)))


def _check_unit(catalog: Catalog, query: Query) -> None:
    if query.tenant not in catalog.tenants:
        _fail(f"unknown tenant {query.tenant!r}", suggest_key(dict(catalog.tenants), query.tenant))
    environments = catalog.tenants[query.tenant].model.spec.environments
    if query.environment not in environments:
        _fail(f"tenant {query.tenant!r} does not use environment {query.environment!r}",
              suggest_key(dict.fromkeys(environments, 1), query.environment))


def _fail(message: str, hint: str) -> None:
    raise CatalogError([Diagnostic("EXPLAIN", message, ARGS, hint)])
