"""Catalog rules about capabilities that only show once units are resolved (per environment).

A service may only use what its tenant enabled in that environment, declare topology only for
capabilities it uses, scale on a queue some service of the tenant declares, and not set an
environment variable a capability already sets; two services may not claim the same database
or declare the same queue or bucket differently. Each problem is found per unit (in the
render workers) and reported once, at the line that causes it, listing the environments it
affects.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from infraforge.errors import Collector, Position
from infraforge.render.capabilities.common import CAPABILITIES, queue_scaled
from infraforge.render.capabilities.messaging import vhost_of
from infraforge.render.capabilities.wiring import capability_variable_names
from infraforge.resolve.layers import where_set

if TYPE_CHECKING:
    from infraforge.resolve.units import ResolvedService, Unit
    from infraforge.validate.catalog import Catalog

# Names the operators (or InfraForge, for them) give objects in a tenant namespace: a service
# of the same name would collide with them once the capability is switched on.
RESERVED_SERVICE_NAMES = frozenset({
    "postgres", "postgres-rw", "postgres-ro", "postgres-r", "postgres-pooler-rw",
    "rabbitmq", "rabbitmq-nodes", "rabbitmq-server", "redis", "redis-headless",
    "redis-additional", "redis-leader", "redis-follower", "minio", "objectstore",
    "objectstore-hl", "objectstore-console", "vault-auth", "password",
})
RESERVED_DATABASES = frozenset({"app", "postgres", "template0", "template1"})
RESERVED_ROLES = frozenset({"app", "postgres", "streaming_replica", "cnpg_pooler_pgbouncer"})
DECLARATIONS = ("database", "messaging", "objectStorage")


# One problem found in one unit: where, rule, message, hint. The same finding in several
# environments is reported once, listing them (see resolve/unit_checks.py).
Finding = tuple[Position, str, str, str]


def check_reserved_names(catalog: Catalog, problems: Collector) -> None:
    """Catalog-wide: a service may not take a name a capability's own objects use."""
    for (_, name), entry in catalog.services.items():
        if name in RESERVED_SERVICE_NAMES:
            problems.error(
                "RESERVED-NAME", f"service name {name!r} is used by a capability's own "
                "objects in the namespace", entry.doc.key_position(("metadata", "name")),
                "rename the service")


def capability_findings(catalog: Catalog, unit: Unit) -> list[Finding]:
    """What one unit's services get wrong about its capabilities."""
    report = Report(catalog)
    for service in unit.services:
        report.service(unit, service)
    report.tenant_wide(unit)
    return report.found


class Report:
    """Collects one unit's findings, each once."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.found: list[Finding] = []

    def add(self, position: Position, rule: str, message: str, hint: str) -> None:
        if (finding := (position, rule, message, hint)) not in self.found:
            self.found.append(finding)

    def at(self, unit: Unit, service: ResolvedService, *path: str | int) -> Position:
        """Where `path` is written in the service's file (its key, for a mapping)."""
        return self.catalog.services[(unit.tenant, service.name)].doc.key_position(path)

    def service(self, unit: Unit, service: ResolvedService) -> None:
        uses = service.settings.get("uses", [])
        enabled = [c for c in CAPABILITIES if unit.settings[c]["enabled"]]
        for index, capability in enumerate(uses):
            if capability not in enabled:
                self.add(self.at(unit, service, "spec", "uses", index), "CAPABILITY-NOT-ENABLED",
                         f"service {service.name!r} uses {capability}, which tenant "
                         f"{unit.tenant!r} has not enabled", _enable_hint(unit, capability,
                                                                          enabled))
        for capability in DECLARATIONS:
            if service.settings.get(capability) and capability not in uses:
                self.add(self.at(unit, service, "spec", capability), "CAPABILITY-NOT-USED",
                         f"service {service.name!r} declares {capability} settings but does not "
                         f"use {capability}", f"add {capability} to spec.uses")
        self.environment(unit, service)
        self.database_role(unit, service)
        if queue_scaled(service):
            self.scaling_queue(unit, service)

    def environment(self, unit: Unit, service: ResolvedService) -> None:
        wired = capability_variable_names(unit, service)
        for field in ("env", "secrets"):
            for index, variable in enumerate(service.settings[field]):
                if variable["name"] in wired:
                    self.add(_own_position(self, unit, service, field, variable["name"], index),
                             "ENV-CONFLICT", f"{variable['name']} is set by the "
                             f"{wired[variable['name']]} capability", "rename the variable; the "
                             "capability's connection settings are listed in "
                             "docs/capabilities.md")

    def database_role(self, unit: Unit, service: ResolvedService) -> None:
        declared = service.settings.get("database")
        if not declared:
            return
        role = service.name.replace("-", "_")
        if role in RESERVED_ROLES:
            self.add(self.at(unit, service, "metadata", "name"), "DATABASE-NAME",
                     f"a service named {service.name!r} cannot own a database: its role "
                     f"{role!r} is reserved by CloudNativePG", "rename the service")
        if declared["name"] in RESERVED_DATABASES:
            self.add(self.at(unit, service, "spec", "database", "name"), "DATABASE-NAME",
                     f"database name {declared['name']!r} is reserved", "choose another name, "
                     "or drop spec.database to share the tenant's `app` database")

    def scaling_queue(self, unit: Unit, service: ResolvedService) -> None:
        queue = service.settings["scaling"]["queue"]
        if "messaging" not in service.settings.get("uses", []):
            self.add(_setting_position(service, ("scaling", "mode")), "SCALING-QUEUE",
                     f"service {service.name!r} scales on a queue but does not use messaging",
                     "add messaging to spec.uses")
            return
        vhost = vhost_of(unit, service)
        declared = sorted({q["name"] for s in unit.services if vhost_of(unit, s) == vhost
                           for q in _queues(s)})
        if queue is None:
            self.add(_setting_position(service, ("scaling", "mode")), "SCALING-QUEUE",
                     f"service {service.name!r} scales on a queue but names none",
                     "set scaling.queue" + (f" (declared: {', '.join(declared)})"
                                            if declared else ""))
        elif queue not in declared:
            close = difflib.get_close_matches(queue, declared, n=1, cutoff=0.5)
            hint = (f"did you mean {close[0]!r}?" if close else
                    f"declare it under spec.messaging.queues of a service in vhost {vhost!r}")
            self.add(_setting_position(service, ("scaling", "queue")), "QUEUE-NOT-DECLARED",
                     f"queue {queue!r} is not declared in vhost {vhost!r}", hint)

    def tenant_wide(self, unit: Unit) -> None:
        self.claims(unit, "database", lambda s: [(s.settings["database"]["name"], None)]
                    if s.settings.get("database") else [], "DATABASE-CONFLICT")
        self.claims(unit, "messaging", lambda s: [(f"{vhost_of(unit, s)}/{q['name']}",
                                                   q.get("type", "quorum")) for q in _queues(s)],
                    "QUEUE-CONFLICT")
        self.claims(unit, "objectStorage", lambda s: [(b["name"], bool(b.get("objectLock")))
                                                      for b in _buckets(s)], "BUCKET-CONFLICT")

    def claims(self, unit: Unit, capability: str, items: Any, rule: str) -> None:
        """Databases are owned by one service; queues and buckets may be shared if identical."""
        first: dict[str, tuple[ResolvedService, Any]] = {}
        for service in unit.services:
            for name, attributes in items(service):
                if name not in first:
                    first[name] = (service, attributes)
                    continue
                owner, owner_attributes = first[name]
                if rule == "DATABASE-CONFLICT" or attributes != owner_attributes:
                    self.add(self.at(unit, service, "spec", capability), rule,
                             f"{name!r} is also declared by service {owner.name!r}"
                             + ("" if rule == "DATABASE-CONFLICT" else " with other settings"),
                             "a database belongs to one service; share data through an API"
                             if rule == "DATABASE-CONFLICT" else
                             "declare it the same way in both services")


def _queues(service: ResolvedService) -> list[dict[str, Any]]:
    return (service.settings.get("messaging") or {}).get("queues", [])


def _buckets(service: ResolvedService) -> list[dict[str, Any]]:
    return (service.settings.get("objectStorage") or {}).get("buckets", [])


def _enable_hint(unit: Unit, capability: str, enabled: list[str]) -> str:
    have = ", ".join(enabled) if enabled else "none"
    return (f"enabled for {unit.tenant} there: {have}; set `{capability}: {{enabled: true}}` in "
            f"{unit.tenant_file} (every environment) or in the tenant's request for that "
            "environment, or drop it from spec.uses")


def _setting_position(service: ResolvedService, path: tuple[str, ...]) -> Position:
    """Where the value at `path` was last set among the service's layers."""
    return where_set(service.layers, path, Position(service.file))


def _own_position(report: Report, unit: Unit, service: ResolvedService, field: str, name: str,
                  index: int) -> Position:
    position = _setting_position(service, (field, name))
    return position if position.line else report.at(unit, service, "spec", field, index)
