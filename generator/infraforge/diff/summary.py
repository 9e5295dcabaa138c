"""The plan-style summary every format starts with, and the wording formats share."""

from __future__ import annotations

from fractions import Fraction

from infraforge.cost.estimate import money
from infraforge.diff.match import ADDED, CHANGED, MOVED, REMOVED, RENAMED, ObjectChange
from infraforge.diff.preview import CHANGE, CREATE, DELETE, AppChange
from infraforge.diff.report import DiffReport

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
MARK = {ADDED: "+", REMOVED: "-", CHANGED: "~", MOVED: "~", RENAMED: "~",
        CREATE: "+", DELETE: "-", CHANGE: "~"}


def amount(value: Fraction, currency: str, signed: bool = False) -> str:
    """`$12.34`, `+$12.34`, `-€3.00`, `+12.34 CHF`."""
    rounded = money(value)
    sign = ("+" if rounded > 0 else "-" if rounded < 0 else "±") if signed else (
        "-" if rounded < 0 else "")
    symbol = SYMBOLS.get(currency)
    digits = f"{abs(rounded):,.2f}"
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency}"


def plan_line(report: DiffReport) -> str:
    """"3 applications +1 ~2 -0 · 14 objects +10 ~3 -1 · cost +$12.34/month"."""
    if not report.has_changes:
        return "no changes"
    apps = report.apps()
    counts = {sign: sum(c[sign] for c in report.kinds().values()) for sign in "+~-"}
    parts = [(f"{sum(len(v) for v in apps.values())} applications +{len(apps[CREATE])} "
             f"~{len(apps[CHANGE])} -{len(apps[DELETE])}"),
             f"{sum(counts.values())} objects +{counts['+']} ~{counts['~']} -{counts['-']}"]
    if report.cost.units:
        parts.append(f"cost {amount(report.cost.delta, report.cost.currency, True)}/month")
    return " · ".join(parts)


def kind_counts(report: DiffReport) -> list[tuple[str, int, int, int]]:
    return [(kind, c["+"], c["~"], c["-"]) for kind, c in report.kinds().items()]


def describe_object(change: ObjectChange) -> str:
    """`Deployment payments-prod/api`, with where it came from when it moved or was renamed."""
    text = change.identity.describe()
    if change.action == RENAMED and change.previous is not None:
        text += f" (renamed from {change.previous.describe()}"
        text += f" in {change.previous_file})" if change.previous_file else ")"
    elif change.previous_file:
        text += f" (moved from {change.previous_file})"
    return text


def describe_app(change: AppChange) -> str:
    app = change.app
    text = (f"{app.name} (project {app.project}, to {app.server or '?'} namespace "
            f"{app.destination_namespace or '?'}, path {app.path or '?'})")
    if change.action == CHANGE:
        text += ": " + ", ".join(change.fields)
    if change.action == DELETE and app.kept_on_delete:
        text += (f"; ApplicationSet policy {app.policy}: ArgoCD keeps the Application, "
                 "delete it by hand")
    elif change.action == DELETE and app.preserve_resources:
        text += "; its resources are kept (preserveResourcesOnDeletion)"
    return text


def unit_list(units: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> list[str]:
    return [f"{env}/{tenant}" for env, tenant in units]
