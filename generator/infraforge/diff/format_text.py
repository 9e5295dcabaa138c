"""The terminal format: plan first, then environment → tenant → app with per-object diffs.

Colour (green +, red -, yellow ~) only when asked for; `--color auto` turns it on for a TTY.
"""

from __future__ import annotations

from infraforge.diff.documents import Location
from infraforge.diff.preview import DELETE
from infraforge.diff.report import DiffReport
from infraforge.diff.summary import (
    MARK,
    amount,
    describe_app,
    describe_object,
    kind_counts,
    plan_line,
    unit_list,
)

_ANSI = {"+": "32", "-": "31", "~": "33", "@": "36", "bold": "1", "error": "1;31"}


class Paint:
    def __init__(self, color: bool):
        self.color = color

    def __call__(self, text: str, style: str) -> str:
        return f"\x1b[{_ANSI[style]}m{text}\x1b[0m" if self.color and style in _ANSI else text

    def diff_line(self, line: str) -> str:
        return self(line, line[:1] if line[:1] in "+-@" else "")


def format_text(report: DiffReport, color: bool = False) -> str:
    paint = Paint(color)
    lines = [paint(f"infraforge diff: {report.base} → {report.head}", "bold"), "",
             f"Plan: {plan_line(report)}"]
    lines += [f"  {kind:<28} +{a} ~{c} -{r}" for kind, a, c, r in kind_counts(report)]
    lines += _budget(report, paint) + _applications(report, paint) + _blast(report)
    lines += _cost(report) + _objects(report, paint) + _footer(report)
    return "\n".join(lines) + "\n"


def _budget(report: DiffReport, paint: Paint) -> list[str]:
    budget = report.budget
    if not budget.breached:
        return []
    return ["", paint(("error: " if budget.blocking else "warning: ") + budget.message(),
                      "error" if budget.blocking else "~")]


def _applications(report: DiffReport, paint: Paint) -> list[str]:
    if not report.preview.changes:
        return []
    lines = ["", paint("ArgoCD Applications:", "bold")]
    for change in report.preview.changes:
        mark = MARK[change.action]
        where = change.app.environment
        lines.append(paint(f"  {mark} {where}/{describe_app(change)}", mark))
        if change.action == DELETE and change.app.environment == "prod":
            lines[-1] += "  [prod]"
    return lines


def _blast(report: DiffReport) -> list[str]:
    blast = report.blast
    if not blast.applies:
        return []
    lines = ["", (f"Blast radius: {', '.join(blast.shared_changes)} changed; output changes in "
             f"{len(blast.units)} of {blast.total_units} tenant × environment units")]
    return lines + _wrap(unit_list(blast.units), "  ")


def _cost(report: DiffReport) -> list[str]:
    cost = report.cost
    if not cost.units:
        return []
    lines = ["", (f"Cost per month ({cost.currency}, at head's prices): "
             f"{amount(cost.delta, cost.currency, True)}")]
    for env, tenant, before, after in cost.units:
        lines.append(f"  {env}/{tenant or '(platform)'}: {amount(before, cost.currency)} → "
                     f"{amount(after, cost.currency)} ({amount(after - before, cost.currency, True)})")
    return lines


def _objects(report: DiffReport, paint: Paint) -> list[str]:
    lines: list[str] = []
    apps = report.preview.by_directory()
    for location, changes in report.by_location().items():
        lines += ["", paint(_heading(location, apps), "bold")]
        for change in changes:
            mark = MARK[change.action]
            lines.append(paint(f"  {mark} {describe_object(change)}", mark))
            lines += ["      " + paint.diff_line(line) for line in change.diff.splitlines()]
    return lines


def _heading(location: Location, apps: dict) -> str:
    app = apps.get(location.directory)
    suffix = f"  (Application {app.name})" if app is not None else ""
    return f"{location.directory}{suffix}"


def _footer(report: DiffReport) -> list[str]:
    lines = []
    if report.other_files:
        lines += ["", (f"{len(report.other_files)} non-YAML file(s) differ (README.md, "
                  "hydrator.metadata…); not part of the semantic diff")]
    return lines + [f"note: {note}" for note in report.notes]


def _wrap(items: list[str], indent: str, width: int = 100) -> list[str]:
    lines, current = [], indent
    for item in items:
        if len(current) + len(item) + 1 > width and current.strip():
            lines.append(current.rstrip())
            current = indent
        current += item + " "
    return [*lines, current.rstrip()] if current.strip() else lines
