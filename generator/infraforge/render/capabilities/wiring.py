"""Wiring: the environment variables a service gets for each capability it `uses`.

Hosts and ports are literals (the Services the operators create have fixed names); user names
and passwords are `secretKeyRef`s into Secrets an operator or ESO writes. docs/capabilities.md
lists every variable; the table there and `env()` of each module must agree.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from infraforge.render.capabilities import cache, database, messaging, object_storage
from infraforge.render.capabilities.common import CAPABILITIES

if TYPE_CHECKING:
    from infraforge.resolve.units import ResolvedService, Unit

MODULES = MappingProxyType({
    "database": database,
    "cache": cache,
    "messaging": messaging,
    "objectStorage": object_storage,
})


def capability_env(unit: Unit, service: ResolvedService) -> list[dict[str, Any]]:
    """The service's capability variables, in capability order (callers checked `enabled`)."""
    uses = service.settings.get("uses", ())
    return [variable for capability in CAPABILITIES if capability in uses
            for variable in MODULES[capability].env(unit, service)]


def capability_variable_names(unit: Unit, service: ResolvedService) -> dict[str, str]:
    """Variable name → the capability that sets it (for conflict checks with `env:`)."""
    uses = service.settings.get("uses", ())
    return {variable["name"]: capability for capability in CAPABILITIES if capability in uses
            for variable in MODULES[capability].env(unit, service)}
