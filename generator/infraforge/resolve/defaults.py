"""Built-in defaults: the first layer of every merge, complete so a resolved unit lacks nothing.

They are the safe, small end of the environment table; the overlays in `overlays/` size each
environment from here.
"""

from __future__ import annotations

from types import MappingProxyType

SOURCE = "built-in defaults"

UNIT_DEFAULTS = MappingProxyType({
    "quota": {
        "requests": {"cpu": "4", "memory": "8Gi"},
        "limits": {"cpu": "8", "memory": "16Gi"},
        "storage": "50Gi",
        "pods": 50, "services": 20, "persistentVolumeClaims": 10, "secrets": 50, "configMaps": 50,
    },
    "limitRange": {
        "defaultRequest": {"cpu": "100m", "memory": "128Mi"},
        "default": {"cpu": "500m", "memory": "512Mi"},
        "max": {"cpu": "4", "memory": "8Gi"},
    },
    "workload": {
        "replicas": 1,
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                      "limits": {"cpu": "500m", "memory": "512Mi"}},
        "scaling": {"enabled": False, "minReplicas": 1, "maxReplicas": 3,
                    "targetCPUUtilization": 80},
        "probes": {"liveness": {"path": "/healthz", "initialDelaySeconds": 5, "periodSeconds": 10},
                   "readiness": {"path": "/readyz", "initialDelaySeconds": 2, "periodSeconds": 5}},
    },
    "access": {"ownerRole": "view"},
    "database": {"enabled": False, "type": "postgresql", "size": "10Gi", "instances": 1,
                 "version": "16", "storageClass": "gp3"},
    "cache": {"enabled": False, "mode": "standalone", "persistence": False, "size": "1Gi"},
    "messaging": {"enabled": False, "replicas": 1, "size": "5Gi"},
    "objectStorage": {"enabled": False, "servers": 1, "size": "10Gi"},
    "backup": {"enabled": False, "schedule": "0 2 * * *", "retentionDays": 7},
    "monitoring": {"enabled": True, "grafana": False, "alerts": False},
    "infrastructure": {
        "nodes": {"count": 2, "instanceType": "t3.medium", "capacityType": "SPOT"},
        "databaseNodes": {"count": 0, "instanceType": "r6i.xlarge", "capacityType": "ON_DEMAND"},
        "natGateways": 1,
        "vaultBackend": "file",
    },
})

SERVICE_DEFAULTS = MappingProxyType({
    "env": [],
    "secrets": [],
    "metrics": {"enabled": False, "port": None, "path": "/metrics"},
})
