"""Everything the capabilities add to one unit, split by who owns it.

- `workload_objects`: the tenant's workloads app (operator instances, their topology, generated
  credentials, the services' ExternalSecrets, monitors and alerts);
- `guardrail_objects`: the platform-owned guardrails app (SecretStore, capability NetworkPolicies);
- `platform_objects`: what lives in platform namespaces (Velero Schedule, Vault access entry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infraforge.render.capabilities import backup, monitoring, network, secrets
from infraforge.render.capabilities.common import CAPABILITIES, enabled, enabling_file
from infraforge.render.capabilities.wiring import MODULES

if TYPE_CHECKING:
    from infraforge.resolve.units import Unit


def workload_objects(unit: Unit) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    active = [capability for capability in CAPABILITIES if enabled(unit, capability)]
    for capability in active:
        objects += MODULES[capability].render(unit)
    if active:  # every capability generates at least one credential
        objects.append(secrets.password_generator(unit, enabling_file(unit, active[0])))
    objects += [secrets.service_external_secret(unit, service) for service in unit.services
                if service.settings["secrets"]]
    objects += monitoring.render(unit)
    return objects


def guardrail_objects(unit: Unit) -> list[dict[str, Any]]:
    return [*secrets.guardrail_objects(unit), *network.network_policies(unit)]


def platform_objects(unit: Unit) -> list[dict[str, Any]]:
    schedule = backup.velero_schedule(unit)
    return [secrets.vault_access(unit), *([schedule] if schedule else [])]
