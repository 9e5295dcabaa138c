"""The JSON format: the whole report, versioned (`"format": "infraforge.diff", "version": 1`).

Money is a string with two decimals, so no reader meets a binary float; the full per-object
diffs are included, which makes this the artifact CI keeps.
"""

from __future__ import annotations

import json
from typing import Any

from infraforge.cost.estimate import money
from infraforge.diff.match import ObjectChange
from infraforge.diff.preview import AppChange, Application
from infraforge.diff.report import DiffReport
from infraforge.diff.summary import kind_counts

FORMAT, VERSION = "infraforge.diff", 1


def format_json(report: DiffReport) -> str:
    return json.dumps(as_data(report), indent=2, ensure_ascii=False) + "\n"


def as_data(report: DiffReport) -> dict[str, Any]:
    apps = report.apps()
    budget, blast, cost = report.budget, report.blast, report.cost
    return {
        "format": FORMAT, "version": VERSION, "base": report.base, "head": report.head,
        "exitCode": report.exit_code,
        "summary": {
            "applications": {action: len(keys) for action, keys in apps.items()},
            "objects": len(report.objects),
            "kinds": {kind: {"added": a, "changed": c, "removed": r}
                      for kind, a, c, r in kind_counts(report)},
            "costDelta": str(money(cost.delta)), "currency": cost.currency,
        },
        "applications": [_app_change(change) for change in report.preview.changes],
        "objects": [_object(change) for change in report.objects],
        "blastRadius": {"sharedChanges": list(blast.shared_changes),
                        "units": [f"{e}/{t}" for e, t in blast.units],
                        "totalUnits": blast.total_units},
        "deletionBudget": {"limit": budget.limit, "deleted": list(budget.deleted),
                           "prod": list(budget.prod), "breached": budget.breached,
                           "allowed": budget.allowed},
        "cost": {"currency": cost.currency, "delta": str(money(cost.delta)), "units": [
            {"environment": env, "tenant": tenant, "before": str(money(before)),
             "after": str(money(after)), "delta": str(money(after - before))}
            for env, tenant, before, after in cost.units]},
        "otherFiles": [{"action": action, "path": path} for action, path in report.other_files],
        "notes": list(report.notes),
    }


def _application(app: Application) -> dict[str, Any]:
    return {"environment": app.environment, "namespace": app.namespace, "name": app.name,
            "project": app.project, "server": app.server,
            "destinationNamespace": app.destination_namespace, "path": app.path,
            "origin": app.origin, "policy": app.policy, "keptOnDelete": app.kept_on_delete}


def _app_change(change: AppChange) -> dict[str, Any]:
    data = {"action": change.action, **_application(change.app), "fields": list(change.fields)}
    if change.before is not None:
        data["before"] = _application(change.before)
    return data


def _object(change: ObjectChange) -> dict[str, Any]:
    identity, where = change.identity, change.location
    data: dict[str, Any] = {
        "action": change.action, "environment": where.environment, "tenant": where.tenant,
        "app": where.app, "file": change.file, "apiVersion": identity.api_version,
        "kind": identity.kind, "namespace": identity.namespace, "name": identity.name,
    }
    if change.previous_file:
        data["previousFile"] = change.previous_file
    if change.previous is not None:
        data["previous"] = {"apiVersion": change.previous.api_version,
                            "kind": change.previous.kind,
                            "namespace": change.previous.namespace,
                            "name": change.previous.name}
    data["diff"] = change.diff
    return data
