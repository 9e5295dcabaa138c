"""Built-in defaults: the first layer of every merge, complete so a resolved unit lacks nothing.

They are the safe, small end of the environment table; the overlays in `overlays/` size each
environment from here.
"""

from __future__ import annotations

from types import MappingProxyType

SOURCE = "built-in defaults"


def _compute(cpu: str, memory: str, cpu_limit: str, memory_limit: str) -> dict:
    return {"requests": {"cpu": cpu, "memory": memory},
            "limits": {"cpu": cpu_limit, "memory": memory_limit}}


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
        "scaling": {"enabled": False, "mode": "cpu", "minReplicas": 1, "maxReplicas": 3,
                    "targetCPUUtilization": 80, "queue": None, "queueLength": 20,
                    "pollingInterval": 30, "cooldownPeriod": 300},
        "probes": {"liveness": {"path": "/healthz", "initialDelaySeconds": 5, "periodSeconds": 10},
                   "readiness": {"path": "/readyz", "initialDelaySeconds": 2, "periodSeconds": 5}},
    },
    "access": {"ownerRole": "view"},
    "database": {"enabled": False, "type": "postgresql", "size": "10Gi", "instances": 1,
                 "version": "16", "storageClass": "gp3", "antiAffinity": "none",
                 "resources": _compute("250m", "512Mi", "1", "1Gi"),
                 "pooler": {"enabled": False, "instances": 2, "poolMode": "transaction",
                            "maxClientConnections": 1000, "defaultPoolSize": 20}},
    "cache": {"enabled": False, "mode": "standalone", "persistence": False, "size": "1Gi",
              "clusterSize": 3, "version": "v7.0.15", "storageClass": "gp3",
              "resources": _compute("100m", "128Mi", "500m", "512Mi")},
    "messaging": {"enabled": False, "replicas": 1, "size": "5Gi", "storageClass": "gp3",
                  "antiAffinity": "none", "resources": _compute("250m", "512Mi", "1", "1Gi")},
    "objectStorage": {"enabled": False, "servers": 1, "volumesPerServer": 1, "size": "10Gi",
                      "storageClass": "gp3", "antiAffinity": "none",
                      "version": "RELEASE.2025-04-22T22-12-26Z",
                      "resources": _compute("250m", "512Mi", "1", "1Gi")},
    "backup": {"enabled": False, "schedule": "0 2 * * *", "retentionDays": 7},
    "monitoring": {"enabled": True, "grafana": False, "alerts": False},
    "infrastructure": {
        "nodes": {"count": 2, "instanceType": "t3.medium", "capacityType": "SPOT"},
        "databaseNodes": {"count": 0, "instanceType": "r6i.xlarge", "capacityType": "ON_DEMAND"},
        "natGateways": 1,
        "vaultBackend": "file",
        "vaultReplicas": 1,
        "vaultAutoUnseal": False,
        "awsAccountId": "000000000000",
        "awsRegion": "eu-west-1",
        "vpcCidr": "10.0.0.0/16",
        "backupBucket": "infraforge-backups",
    },
    "secrets": {"kvMount": "secret", "authMount": "kubernetes", "refreshInterval": "1h"},
})

SERVICE_DEFAULTS = MappingProxyType({
    "env": [],
    "secrets": [],
    "metrics": {"enabled": False, "port": None, "path": "/metrics"},
})
