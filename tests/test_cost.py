"""`infraforge cost` and the cost delta of `infraforge diff`, checked by hand."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import write
from infraforge.cost.quantity import QuantityError, cores, gibibytes
from infraforge.cost.usage import cnpg_cluster, minio_tenant, rabbitmq, redis
from test_diff import commit, git

PRICES = """\
  prices:
    currency: EUR
    vcpuMonth: 20
    memoryGiBMonth: 3
    storageGiBMonth: 0.1
    capabilityInstanceMonth:
      database: 15
"""


def ledger_tenant(project: Path) -> None:
    """A tenant with one service and no capabilities, sized explicitly, in dev and prod."""
    write(project / "catalog/tenants/ledger/tenant.yaml", """\
apiVersion: platform.infraforge.io/v1
kind: Tenant
metadata:
  name: ledger
spec:
  owner:
    group: ledger-team
  costCenter: CC-2001
  environments: [dev, prod]
""")
    write(project / "catalog/tenants/ledger/services/api.yaml", """\
apiVersion: platform.infraforge.io/v1
kind: Service
metadata:
  name: api
spec:
  tenant: ledger
  description: The ledger's public API, for the cost test.
  image: registry.acme.example/ledger/api:1.0.0
  port: 8080
  replicas: 2
  resources:
    requests: {cpu: 500m, memory: 512Mi}
    limits: {cpu: "1", memory: 1Gi}
  environments:
    prod:
      scaling: {enabled: true, minReplicas: 4, maxReplicas: 6}
""")


def set_prices(project: Path) -> None:
    platform = project / "catalog/platform.yaml"
    text, count = re.subn(r"  prices:\n(    .*\n)+", PRICES, platform.read_text())
    assert count == 1, "the example Platform has a prices block"
    platform.write_text(text)


def unit(data: dict, environment: str, tenant: str) -> dict:
    return next(u for u in data["units"] if (u["environment"], u["tenant"]) == (
        environment, tenant))


def test_cost_of_one_tenant_by_hand(run_cli, project: Path) -> None:
    set_prices(project)
    ledger_tenant(project)
    result = run_cli("-C", str(project), "cost", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["format"], data["version"], data["currency"]) == ("infraforge.cost", 1, "EUR")
    dev, prod = unit(data, "dev", "ledger"), unit(data, "prod", "ledger")
    # dev: scaling off, so the Deployment keeps the service's 2 replicas.
    #   vCPU 0.5 x 2 = 1 -> 1 x 20 = 20.00; memory 512Mi = 0.5 GiB x 2 = 1 GiB -> 1 x 3 = 3.00
    assert dev["usage"] == {"vcpu": "1", "memoryGiB": "1", "storageGiB": "0", "instances": {}}
    assert (dev["compute"], dev["storage"], dev["instances"], dev["total"]) == (
        "23.00", "0.00", "0.00", "23.00")
    # prod: the HPA owns the count, so its minReplicas (4) is what runs at least.
    #   vCPU 0.5 x 4 = 2 -> 40.00; memory 0.5 GiB x 4 = 2 GiB -> 6.00; total 46.00
    assert prod["usage"]["vcpu"] == "2" and prod["usage"]["memoryGiB"] == "2"
    assert prod["total"] == "46.00"
    # the grand total is the exact sum rounded once: within half a cent per unit of the sum of
    # the rounded unit totals
    rounded = sum(Fraction(u["total"]) for u in data["units"])
    assert abs(Fraction(data["total"]) - rounded) <= Fraction(len(data["units"]), 200)


def test_cost_text_and_markdown(run_cli, project: Path) -> None:
    set_prices(project)
    ledger_tenant(project)
    text = run_cli("-C", str(project), "cost").out
    row = next(line for line in text.splitlines() if line.startswith("prod ") and "ledger" in line)
    assert row.split()[-1] == "46.00" and text.startswith("Monthly estimate (EUR)")
    markdown = run_cli("-C", str(project), "cost", "--format", "markdown").out
    assert "| prod | ledger | 2 | 2 | 0 | - | 46.00 | 0.00 | 0.00 | 46.00 |" in markdown


def test_diff_shows_the_cost_delta(run_cli, project: Path) -> None:
    set_prices(project)
    git(project, "init", "-q", "-b", "main")
    commit(project, "base")
    ledger_tenant(project)
    result = run_cli("-C", str(project), "diff", "--format", "json")
    data = json.loads(result.out)
    units = {(u["environment"], u["tenant"]): u for u in data["cost"]["units"]}
    # a new tenant: from nothing to the figures above, 23.00 + 46.00
    assert units["dev", "ledger"] == {"environment": "dev", "tenant": "ledger",
                                      "before": "0.00", "after": "23.00", "delta": "23.00"}
    assert units["prod", "ledger"]["delta"] == "46.00"
    assert data["summary"]["costDelta"] == "69.00" and data["cost"]["currency"] == "EUR"
    assert "cost +€69.00/month" in run_cli("-C", str(project), "diff", "--format",
                                            "markdown").out


# --- operator resources, by hand ------------------------------------------------------------

def test_cloudnative_pg_cluster() -> None:
    usage = cnpg_cluster({"spec": {"instances": 3, "storage": {"size": "20Gi"},
                                   "walStorage": {"size": "5Gi"},
                                   "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}}})
    # 3 instances x (0.5 vCPU, 1 GiB, 20 + 5 GiB)
    assert (usage.cpu, usage.memory, usage.storage, usage.instances) == (
        Fraction(3, 2), 3, 75, {"database": 3})


def test_rabbitmq_minio_and_redis() -> None:
    rabbit = rabbitmq({"spec": {"replicas": 3, "persistence": {"storage": "10Gi"},
                                "resources": {"requests": {"cpu": "1", "memory": "2Gi"}}}})
    assert (rabbit.cpu, rabbit.memory, rabbit.storage, rabbit.instances) == (
        3, 6, 30, {"messaging": 3})
    minio = minio_tenant({"spec": {"pools": [{
        "servers": 4, "volumesPerServer": 2,
        "volumeClaimTemplate": {"spec": {"resources": {"requests": {"storage": "50Gi"}}}},
        "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}}}]}})
    # 4 servers x 2 volumes x 50 GiB = 400 GiB; 4 x 0.25 vCPU; 4 x 0.5 GiB
    assert (minio.cpu, minio.memory, minio.storage, minio.instances) == (
        1, 2, 400, {"objectStorage": 4})
    cluster = redis({"kind": "RedisCluster", "spec": {
        "clusterSize": 3, "kubernetesConfig": {"resources": {"requests": {"cpu": "100m"}}},
        "storage": {"volumeClaimTemplate": {"spec": {"resources": {"requests": {
            "storage": "1Gi"}}}}}}})
    # 3 leaders + 3 followers, each 0.1 vCPU and 1 GiB of volume
    assert (cluster.cpu, cluster.storage, cluster.instances) == (
        Fraction(6, 10), 6, {"cache": 6})


@pytest.mark.parametrize(("text", "expected"), [
    ("250m", Fraction(1, 4)), ("2", 2), (1.5, Fraction(3, 2)), ("1e3", 1000), ("0.5", 0.5)])
def test_cpu_quantities(text, expected) -> None:
    assert cores(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("512Mi", Fraction(1, 2)), ("1Gi", 1), ("1Ti", 1024), ("1G", Fraction(10**9, 2**30))])
def test_memory_quantities(text, expected) -> None:
    assert gibibytes(text) == expected


def test_a_bad_quantity_is_refused() -> None:
    with pytest.raises(QuantityError):
        cores("lots")
