"""The rules over a unit's merged settings: found per unit, reported across units.

`check_unit` is pure and runs where the unit is rendered (a worker process, next to the merge
it needs); `report_unit_checks` runs once in the main process over every fresh unit's report,
adds the catalog-wide rules, and raises with every problem at once. A `$patch: delete` of a
guardrail is reported alone: the other rules assume a complete unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from infraforge.errors import CatalogError, Collector, Diagnostic, Position
from infraforge.resolve import defaults
from infraforge.resolve.capability_checks import Finding, capability_findings, check_reserved_names
from infraforge.resolve.layers import where_set
from infraforge.resolve.platform_checks import check_operators, platform_findings, unit_needs

if TYPE_CHECKING:
    from infraforge.resolve.units import Unit
    from infraforge.validate.catalog import Catalog


@dataclass(frozen=True)
class UnitReport:
    """What checking one unit found, and what it needs from the platform layer."""

    environment: str
    incomplete: tuple[Diagnostic, ...] = ()
    findings: tuple[Finding, ...] = ()
    needs: dict[str, str] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not (self.incomplete or self.findings)


def check_unit(catalog: Catalog, unit: Unit) -> UnitReport:
    incomplete = Collector()
    check_complete(unit, incomplete)
    if incomplete.diagnostics:
        return UnitReport(unit.environment, tuple(incomplete.diagnostics))
    findings = [*capability_findings(catalog, unit), *platform_findings(unit)]
    return UnitReport(unit.environment, (), tuple(findings), unit_needs(unit))


def report_unit_checks(catalog: Catalog, reports: Sequence[UnitReport],
                       known_needs: Iterable[dict[str, str]] = ()) -> None:
    """Raise CatalogError with every problem of the checked units and the catalog-wide rules;
    `known_needs` are those of units not checked this run (served from the cache)."""
    incomplete = [d for report in reports for d in report.incomplete]
    if incomplete:
        raise CatalogError(incomplete)
    problems = Collector()
    check_reserved_names(catalog, problems)
    check_operators(catalog, [*(r.needs for r in reports), *known_needs], problems)
    found: dict[Finding, list[str]] = defaultdict(list)
    for report in reports:
        for finding in report.findings:
            if report.environment not in (envs := found[finding]):
                envs.append(report.environment)
    for (position, rule, message, hint), envs in sorted(found.items()):
        problems.error(rule, f"{message} (in {', '.join(envs)})", position, hint)
    problems.raise_if_errors()


def check_complete(unit: Unit, problems: Collector) -> None:
    """A `$patch: delete` may not remove what the platform requires (quota, probes, ...)."""
    for path in _missing(dict(defaults.UNIT_DEFAULTS), unit.settings, ()):
        dotted = ".".join(path)
        problems.error("GUARDRAIL-DELETED", f"{unit.key}: {dotted} is required and was deleted",
                       where_set(unit.layers, path, Position(unit.tenant_file)),
                       "set a value instead of deleting it")


def _missing(required: dict, actual: dict, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    found = []
    for key, value in required.items():
        if key not in actual:
            found.append((*path, key))
        elif isinstance(value, dict) and isinstance(actual[key], dict):
            found.extend(_missing(value, actual[key], (*path, key)))
    return found
