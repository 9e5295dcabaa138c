"""Dev and prod differ exactly as the environment table says (PRODUCT.md), capability by
capability, on the example catalog; staging sits between them."""

from __future__ import annotations

from pathlib import Path

import pytest

from capabilities_tree import Tree, container_env, copy_example, render


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    return render(copy_example(tmp_path_factory.mktemp("example")))


def test_database_dev_is_one_small_instance_without_backups(tree: Tree) -> None:
    cluster = tree.one("Cluster", "identity-dev", "postgres").spec
    assert cluster["instances"] == 1
    assert cluster["storage"]["size"] == "10Gi"
    assert cluster["affinity"] == {"enablePodAntiAffinity": False}
    assert "backup" not in cluster
    assert not tree.of_kind("ScheduledBackup", namespace="identity-dev")
    assert not tree.of_kind("Pooler", namespace="identity-dev")


def test_database_prod_is_ha_backed_up_and_pooled(tree: Tree) -> None:
    cluster = tree.one("Cluster", "identity-prod", "postgres").spec
    assert cluster["instances"] == 3
    assert cluster["storage"]["size"] == "20Gi"
    assert cluster["affinity"]["enablePodAntiAffinity"] is True
    assert cluster["affinity"]["podAntiAffinityType"] == "required"
    store = cluster["backup"]["barmanObjectStore"]
    assert store["destinationPath"] == "s3://acme-prod-backups/postgres/prod/identity"
    assert store["s3Credentials"] == {"inheritFromIAMRole": True}
    scheduled = tree.one("ScheduledBackup", "identity-prod", "postgres-nightly").spec
    assert scheduled["cluster"] == {"name": "postgres"}
    assert scheduled["schedule"] == "0 0 1 * * *"  # the overlay's 01:00, with seconds
    pooler = tree.one("Pooler", "identity-prod", "postgres-pooler-rw").spec
    assert pooler["instances"] == 2 and pooler["type"] == "rw"
    auth = tree.one("Deployment", "identity-prod", "auth")
    assert {"name": "DB_HOST", "value": "postgres-pooler-rw"} in container_env(auth)


def test_a_request_resizes_only_its_environment(tree: Tree) -> None:
    sizes = {env: tree.one("Cluster", f"payments-{env}", "postgres").spec["storage"]["size"]
             for env in ("dev", "staging", "prod")}
    assert sizes == {"dev": "10Gi", "staging": "20Gi", "prod": "50Gi"}


def test_cache_dev_is_standalone_without_persistence(tree: Tree) -> None:
    assert not tree.of_kind("RedisCluster", env="dev")
    redis = tree.one("Redis", "payments-dev", "redis").spec
    assert "storage" not in redis
    assert redis["kubernetesConfig"]["redisSecret"] == {"name": "redis-auth", "key": "password"}


def test_cache_prod_is_a_persistent_cluster(tree: Tree) -> None:
    assert not tree.of_kind("Redis", env="prod")
    cluster = tree.one("RedisCluster", "payments-prod", "redis").spec
    assert cluster["clusterSize"] == 3
    assert cluster["persistenceEnabled"] is True
    claim = cluster["storage"]["volumeClaimTemplate"]["spec"]
    assert claim["resources"]["requests"]["storage"] == "5Gi"
    assert cluster["redisLeader"]["replicas"] == cluster["redisFollower"]["replicas"] == 3


def test_messaging_dev_has_one_replica_prod_three_persistent_spread(tree: Tree) -> None:
    dev = tree.one("RabbitmqCluster", "payments-dev", "rabbitmq").spec
    prod = tree.one("RabbitmqCluster", "payments-prod", "rabbitmq").spec
    assert dev["replicas"] == 1 and "affinity" not in dev
    assert prod["replicas"] == 3
    assert prod["persistence"] == {"storage": "20Gi", "storageClassName": "gp3"}
    terms = prod["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert terms[0]["topologyKey"] == "kubernetes.io/hostname"
    assert "pause_minority" in prod["rabbitmq"]["additionalConfig"]


def test_object_storage_dev_one_server_prod_four_servers_50gi(tree: Tree) -> None:
    dev = tree.one("Tenant", "search-dev", "objectstore").spec["pools"][0]
    prod = tree.one("Tenant", "search-prod", "objectstore").spec["pools"][0]
    assert (dev["servers"], dev["volumeClaimTemplate"]["spec"]["resources"]["requests"]) == (
        1, {"storage": "10Gi"})
    assert prod["servers"] == 4
    assert prod["volumeClaimTemplate"]["spec"]["resources"]["requests"] == {"storage": "50Gi"}
    assert "podAntiAffinity" in prod["affinity"]


def test_backups_run_in_prod_only_per_tenant_namespace(tree: Tree) -> None:
    assert not tree.of_kind("Schedule", env="dev")
    assert not tree.has("Application", "argocd", "platform-velero-dev")
    prod_namespaces = {d.name for d in tree.of_kind("Namespace", env="prod")
                       if "infraforge.io/tenant" in d.body["metadata"]["labels"]}
    schedules = tree.of_kind("Schedule", env="prod")
    assert {s.spec["template"]["includedNamespaces"][0] for s in schedules} == prod_namespaces
    assert all(s.namespace == "velero" for s in schedules)
    assert {s.spec["template"]["ttl"] for s in schedules} == {"720h0m0s"}
    assert tree.has("Application", "argocd", "platform-velero-prod")


def test_monitoring_prometheus_everywhere_grafana_and_alerts_in_prod(tree: Tree) -> None:
    def values(env: str) -> dict:
        app = tree.one("Application", "argocd", f"platform-kube-prometheus-stack-{env}")
        return app.spec["sources"][0]["helm"]["valuesObject"]

    assert values("dev")["grafana"] == {"enabled": False}
    assert values("prod")["grafana"] == {"enabled": True}
    assert tree.has("ServiceMonitor", "payments-dev", "api")
    assert tree.has("ServiceMonitor", "payments-prod", "api")
    assert not tree.of_kind("PrometheusRule", env="dev")
    rules = tree.one("PrometheusRule", "payments-prod", "tenant-alerts").spec["groups"][0]
    alerts = {rule["alert"] for rule in rules["rules"]}
    assert {"TargetDown", "DeploymentReplicasUnavailable", "DatabaseDown"} <= alerts


def test_vault_file_backend_in_dev_raft_with_kms_unseal_in_prod(tree: Tree) -> None:
    def server(env: str) -> dict:
        app = tree.one("Application", "argocd", f"platform-vault-{env}")
        return app.spec["sources"][0]["helm"]["valuesObject"]["server"]

    dev, prod = server("dev"), server("prod")
    assert dev["standalone"]["enabled"] is True
    assert 'storage "file"' in dev["standalone"]["config"]
    assert "seal" not in dev["standalone"]["config"]
    assert prod["ha"]["replicas"] == 3 and prod["ha"]["raft"]["enabled"] is True
    assert 'storage "raft"' in prod["ha"]["raft"]["config"]
    assert 'seal "awskms"' in prod["ha"]["raft"]["config"]
    assert "alias/infraforge-prod-vault" in prod["ha"]["raft"]["config"]


def test_cpu_scaling_uses_an_hpa_queue_scaling_keda_and_no_hpa(tree: Tree) -> None:
    for env in ("dev", "prod"):
        hpa = tree.one("HorizontalPodAutoscaler", f"search-{env}", "query").spec
        assert hpa["metrics"][0]["resource"]["name"] == "cpu"
        scaled = tree.one("ScaledObject", f"payments-{env}", "worker").spec
        trigger = scaled["triggers"][0]
        assert trigger["type"] == "rabbitmq"
        assert trigger["metadata"]["queueName"] == "settlements"
        assert trigger["authenticationRef"] == {"name": "worker"}
        assert not tree.has("HorizontalPodAutoscaler", f"payments-{env}", "worker")
        worker = tree.one("Deployment", f"payments-{env}", "worker").spec
        assert "replicas" not in worker  # the autoscaler owns the count
    assert tree.one("ScaledObject", "payments-prod", "worker").spec["minReplicaCount"] == 2


@pytest.mark.parametrize(("kind", "name", "field"), [
    ("Cluster", "postgres", ("instances",)),
    ("RabbitmqCluster", "rabbitmq", ("replicas",)),
])
def test_staging_sits_between_dev_and_prod(tree: Tree, kind: str, name: str,
                                           field: tuple[str, ...]) -> None:
    def value(env: str) -> int:
        spec = tree.one(kind, f"payments-{env}", name).spec
        for key in field:
            spec = spec[key]
        return spec

    assert value("dev") <= value("staging") <= value("prod")
    assert value("dev") < value("prod")


def test_every_capability_and_scaling_mode_appears_in_dev_and_prod(tree: Tree) -> None:
    for env in ("dev", "prod"):
        kinds = {d.kind for d in tree.docs if d.env == env}
        assert {"Cluster", "RabbitmqCluster", "Tenant", "SecretStore", "ExternalSecret",
                "ServiceMonitor", "HorizontalPodAutoscaler", "ScaledObject"} <= kinds, env
        assert kinds & {"Redis", "RedisCluster"}, env


def test_sizes_are_explainable_back_to_the_overlay(project: Path, run_cli) -> None:
    result = run_cli("-C", str(project), "explain", "identity/prod", "database.pooler.instances")
    assert result.code == 0, result.err
    assert "overlays/prod.yaml" in result.out
    result = run_cli("-C", str(project), "explain", "payments/prod", "worker",
                     "scaling.minReplicas")
    assert result.code == 0, result.err
    assert "catalog/tenants/payments/services/worker.yaml" in result.out
