"""Rules between the Platform document, the overlays and what the units need from the platform.

When the Platform lists its operators, every component a unit relies on must be among them
(else its custom resources would wait forever for a CRD); backup schedules must be 5-field cron
(CloudNativePG prepends the seconds); a distributed MinIO needs at least four drives for
erasure coding; AWS role names stay within IAM's 64 characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from infraforge.errors import Collector, Position
from infraforge.render.capabilities.common import CAPABILITIES, queue_scaled
from infraforge.render.capabilities.components import CAPABILITY_OPERATORS
from infraforge.render.capabilities.database import backup_role_name
from infraforge.resolve.layers import where_set

if TYPE_CHECKING:
    from infraforge.resolve.capability_checks import Finding
    from infraforge.resolve.units import Unit
    from infraforge.validate.catalog import Catalog

MAX_IAM_ROLE = 64
MIN_ERASURE_DRIVES = 4


def platform_findings(unit: Unit) -> list[Finding]:
    """One unit's settings the platform cannot provide (bad cron, too few drives, ...)."""
    return [(_where(unit, path), rule, message, hint)
            for rule, path, message, hint in _unit_problems(unit)]


def needed_components(needs: Iterable[dict[str, str]]) -> dict[str, str]:
    """Component → why it is needed, from each unit's needs (the first reason wins)."""
    merged: dict[str, str] = {}
    for one in needs:
        for component, reason in one.items():
            merged.setdefault(component, reason)
    return merged


def unit_needs(unit: Unit) -> dict[str, str]:
    """The platform components one unit needs, and why."""
    needs = {"external-secrets": "every tenant namespace has a SecretStore",
             "vault": "every tenant namespace has a SecretStore"}
    for capability in CAPABILITIES:
        if unit.settings[capability]["enabled"]:
            needs.setdefault(CAPABILITY_OPERATORS[capability], f"{capability} is enabled")
    if unit.settings["backup"]["enabled"]:
        needs.setdefault("velero", "backups are enabled")
    if unit.settings["monitoring"]["enabled"]:
        needs.setdefault("kube-prometheus-stack", "monitoring is enabled")
    if any(queue_scaled(service) for service in unit.services):
        needs.setdefault("keda", "a service scales on a queue")
    return needs


def check_operators(catalog: Catalog, needs: Iterable[dict[str, str]],
                    problems: Collector) -> None:
    """Every component some unit needs (`needs`: one dict per unit) must be an operator."""
    operators = catalog.platform.model.spec.operators
    seen: set[str] = set()
    for index, operator in enumerate(operators):
        if operator.name in seen:
            problems.error("DUPLICATE-NAME", f"operator {operator.name!r} is listed twice",
                           catalog.platform.at("spec", "operators", index, "name"),
                           "keep one entry per component")
        seen.add(operator.name)
    if not operators:  # the platform layer is not managed by InfraForge
        return
    for component, reason in sorted(needed_components(needs).items()):
        if component not in seen:
            problems.error("OPERATOR-MISSING", f"{component} is not in spec.operators, but "
                           f"{reason}", catalog.platform.doc.key_position(("spec", "operators")),
                           f"add {component} with its chart repository and pinned version")


def _unit_problems(unit: Unit) -> list[tuple[str, tuple[str, ...], str, str]]:
    settings, found = unit.settings, []
    backup, storage = settings["backup"], settings["objectStorage"]
    if backup["enabled"] and len(backup["schedule"].split()) != 5:
        message = f"backup.schedule {backup['schedule']!r} is not a 5-field cron expression"
        found.append(("INVALID-VALUE", ("backup", "schedule"), message,
                      "minute hour day-of-month month day-of-week, e.g. '0 2 * * *'"))
    drives = storage["servers"] * storage["volumesPerServer"]
    if storage["enabled"] and storage["servers"] > 1 and drives < MIN_ERASURE_DRIVES:
        message = (f"{storage['servers']} MinIO servers with {storage['volumesPerServer']} "
                   f"volume(s) each make {drives} drives; a distributed MinIO needs at least "
                   f"{MIN_ERASURE_DRIVES}")
        found.append(("INVALID-VALUE", ("objectStorage", "servers"), message,
                      "raise objectStorage.volumesPerServer or use a single server"))
    role = backup_role_name(unit)
    if backup["enabled"] and settings["database"]["enabled"] and len(role) > MAX_IAM_ROLE:
        message = f"the backup IAM role {role!r} would exceed {MAX_IAM_ROLE} characters"
        found.append(("INVALID-NAME", ("backup", "enabled"), message, "shorten the tenant name"))
    return found


def _where(unit: Unit, path: tuple[str, ...]) -> Position:
    return where_set(unit.layers, path, Position(unit.tenant_file))
