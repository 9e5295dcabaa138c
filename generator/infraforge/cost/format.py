"""`infraforge cost` output: a table per tenant × environment, as text, JSON or Markdown."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from infraforge.cost.estimate import CostEstimate, UnitCost, money

FORMAT, VERSION = "infraforge.cost", 1
COLUMNS = ("environment", "tenant", "vCPU", "memory GiB", "storage GiB", "instances",
           "compute", "storage", "instances", "total")


def quantity(value: Fraction) -> str:
    """An exact quantity to at most 3 decimals, without trailing zeros (`1.125`, `15`)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    text = f"{exact.quantize(Decimal('0.001'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _row(unit: UnitCost) -> list[str]:
    used = unit.usage
    instances = ", ".join(f"{name} {count}" for name, count in sorted(used.instances.items()))
    return [unit.environment, unit.tenant or "(platform)", quantity(used.cpu),
            quantity(used.memory), quantity(used.storage), instances or "-",
            *(str(money(x)) for x in (unit.compute, unit.storage, unit.instances, unit.total))]


def format_text(estimate: CostEstimate) -> str:
    rows = [list(COLUMNS), *map(_row, estimate.units)]
    rows.append(["total", "", "", "", "", "", "", "", "", str(money(estimate.total))])
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [f"Monthly estimate ({estimate.currency}) from the rendered tree"]
    for row in rows:
        cells = [cell.rjust(w) if i >= 2 and i != 5 else cell.ljust(w) for i, (cell, w) in
                 enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def format_markdown(estimate: CostEstimate) -> str:
    lines = [f"#### Monthly estimate ({estimate.currency})", "",
             "| " + " | ".join(COLUMNS) + " |", "|:--|:--|" + "--:|" * (len(COLUMNS) - 2)]
    lines += ["| " + " | ".join(_row(unit)) + " |" for unit in estimate.units]
    lines.append("| **total** |" + " |" * (len(COLUMNS) - 2) + f" **{money(estimate.total)}** |")
    return "\n".join(lines) + "\n"


def format_json(estimate: CostEstimate) -> str:
    return json.dumps(as_data(estimate), indent=2) + "\n"


def as_data(estimate: CostEstimate) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "currency": estimate.currency,
            "total": str(money(estimate.total)), "units": [{
                "environment": u.environment, "tenant": u.tenant,
                "usage": {"vcpu": quantity(u.usage.cpu), "memoryGiB": quantity(u.usage.memory),
                          "storageGiB": quantity(u.usage.storage),
                          "instances": dict(sorted(u.usage.instances.items()))},
                "compute": str(money(u.compute)), "storage": str(money(u.storage)),
                "instances": str(money(u.instances)), "total": str(money(u.total)),
            } for u in estimate.units]}
