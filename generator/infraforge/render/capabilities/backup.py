"""backups → a Velero `Schedule` per tenant namespace wherever the overlay enables backups.

Velero only reads Schedules from its own namespace, which tenants may not write to, so the
Schedules belong to the platform layer (`<env>/platform/velero/`); each still names the catalog
file that turned backups on. Database contents are backed up by CloudNativePG itself
(`database.py`); Velero keeps the namespace's objects and volume snapshots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infraforge.render.capabilities.common import SKIP_DRY_RUN, enabling_file
from infraforge.render.capabilities.components import component_namespace
from infraforge.render.meta import (
    FOR_TENANT_LABEL,
    SYNC_OPTIONS,
    SYNC_WAVE,
    WAVE_BACKUP,
    obj,
    platform_labels,
)

if TYPE_CHECKING:
    from infraforge.resolve.units import Unit

API = "velero.io/v1"
LOCATION = "default"  # the storage and snapshot locations the Velero chart is configured with


def velero_schedule(unit: Unit) -> dict[str, Any] | None:
    backup = unit.settings["backup"]
    if not backup["enabled"]:
        return None
    spec = {
        "schedule": backup["schedule"],
        "useOwnerReferencesInBackup": False,
        "template": {
            "includedNamespaces": [unit.namespace],
            "ttl": f"{backup['retentionDays'] * 24}h0m0s",
            "storageLocation": LOCATION,
            "snapshotVolumes": True,
            "volumeSnapshotLocations": [LOCATION],
        },
    }
    schedule = obj(API, "Schedule", unit.namespace, component_namespace(unit.platform, "velero"),
                   platform_labels(unit.environment, **{FOR_TENANT_LABEL: unit.tenant}),
                   enabling_file(unit, "backup"), spec)
    schedule["metadata"]["annotations"].update({SYNC_WAVE: WAVE_BACKUP, SYNC_OPTIONS: SKIP_DRY_RUN})
    return schedule
