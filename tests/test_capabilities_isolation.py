"""No two tenants share a SecretStore, a Vault role or path, a bucket or a database: each
capability instance lives in its tenant's namespace, and everything that reaches outside the
namespace (Vault paths and roles, backup locations and IAM roles) is scoped to tenant and
environment. Checked on the example and on a catalog where two tenants pick the same names."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from capabilities_tree import Tree, copy_example, render
from conftest import write

TWIN = """apiVersion: platform.infraforge.io/v1
kind: Tenant
metadata:
  name: billing
spec:
  owner: {group: billing-team}
  costCenter: CC-7000
  environments: [dev, prod]
  database: {enabled: true}
  objectStorage: {enabled: true}
---
apiVersion: platform.infraforge.io/v1
kind: Service
metadata:
  name: ledger
spec:
  tenant: billing
  description: Keeps billing's own ledger, with the same names as search and payments.
  image: registry.acme.example/billing/ledger:1.0.0
  port: 8080
  uses: [database, objectStorage]
  database: {name: ledger}
  objectStorage:
    buckets:
      - name: search-index
  secrets:
    - {name: API_TOKEN, path: stripe, key: api-key}
"""


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    project = copy_example(tmp_path_factory.mktemp("twins"))
    write(project / "catalog/tenants/billing/tenant.yaml", TWIN)
    return render(project)


def tenant_of(namespace: str) -> tuple[str, str]:
    tenant, _, env = namespace.rpartition("-")
    return tenant, env


def test_one_secret_store_per_namespace_with_its_own_vault_role(tree: Tree) -> None:
    stores = tree.of_kind("SecretStore")
    namespaces = [s.namespace for s in stores]
    assert len(namespaces) == len(set(namespaces))
    assert set(namespaces) == {d.name for d in tree.of_kind("Namespace")
                               if "infraforge.io/tenant" in d.body["metadata"]["labels"]}
    roles = Counter()
    for store in stores:
        tenant, env = tenant_of(store.namespace)
        auth = store.spec["provider"]["vault"]["auth"]["kubernetes"]
        assert auth["role"] == f"tenant-{tenant}-{env}"
        assert auth["serviceAccountRef"] == {"name": "vault-auth"}  # same namespace only
        roles[(store.env, auth["role"])] += 1
    assert max(roles.values()) == 1
    assert not tree.of_kind("ClusterSecretStore")


def test_external_secrets_read_only_their_tenant_prefix_through_their_store(tree: Tree) -> None:
    for secret in tree.of_kind("ExternalSecret"):
        tenant, env = tenant_of(secret.namespace)
        ref = secret.spec.get("secretStoreRef")
        if ref is not None:
            assert ref == {"kind": "SecretStore", "name": "vault"}
        for item in secret.spec.get("data", []):
            assert item["remoteRef"]["key"].startswith(f"tenants/{tenant}/{env}/")


def test_vault_access_binds_each_role_to_its_namespace_and_prefix(tree: Tree) -> None:
    entries = tree.of_kind("ConfigMap", namespace="vault")
    assert {e.body["data"]["role"] for e in entries if e.env == "prod"} >= {
        "tenant-billing-prod", "tenant-payments-prod", "tenant-search-prod"}
    for entry in entries:
        namespace = entry.name.removeprefix("tenant-")
        tenant, env = tenant_of(namespace)
        data = entry.body["data"]
        binding = json.loads(data["role.json"])
        assert binding["bound_service_account_namespaces"] == [namespace]
        assert binding["token_policies"] == [data["role"]]
        paths = [line.split('"')[1] for line in data["policy.hcl"].splitlines()
                 if line.startswith("path ")]
        assert paths == [f"secret/data/tenants/{tenant}/{env}/*",
                         f"secret/metadata/tenants/{tenant}/{env}/*"]


def test_same_bucket_name_in_two_tenants_is_two_buckets(tree: Tree) -> None:
    holders = [t for t in tree.of_kind("Tenant", env="prod")
               if any(b["name"] == "search-index" for b in t.spec.get("buckets", []))]
    assert {t.namespace for t in holders} == {"search-prod", "billing-prod"}
    for deployment in tree.of_kind("Deployment"):
        for variable in deployment.spec["template"]["spec"]["containers"][0].get("env", []):
            if variable["name"] == "S3_ENDPOINT":
                assert f".{deployment.namespace}.svc" in variable["value"]


def test_same_database_name_in_two_tenants_is_two_databases(tree: Tree) -> None:
    ledgers = [d for d in tree.of_kind("Database", env="prod") if d.spec["name"] == "ledger"]
    assert {d.namespace for d in ledgers} == {"payments-prod", "billing-prod"}
    for database in tree.of_kind("Database"):
        assert tree.has("Cluster", database.namespace, database.spec["cluster"]["name"])
    clusters = tree.of_kind("Cluster", env="prod")
    paths = [c.spec["backup"]["barmanObjectStore"]["destinationPath"] for c in clusters]
    roles = [c.spec["serviceAccountTemplate"]["metadata"]["annotations"][
        "eks.amazonaws.com/role-arn"] for c in clusters]
    assert len(set(paths)) == len(paths) == len(set(roles)) == len(clusters)
    for cluster, path in zip(clusters, paths, strict=True):
        tenant, env = tenant_of(cluster.namespace)
        assert path.endswith(f"/{env}/{tenant}")


def test_tenant_projects_cannot_deploy_secret_stores(tree: Tree) -> None:
    for project in tree.of_kind("AppProject"):
        if "infraforge.io/tenant" not in project.body["metadata"]["labels"]:
            continue
        denied = {(k["group"], k["kind"]) for k in project.spec["namespaceResourceBlacklist"]}
        assert {("external-secrets.io", "SecretStore"),
                ("external-secrets.io", "ClusterSecretStore")} <= denied
        assert project.spec["clusterResourceWhitelist"] == []


def test_capability_objects_stay_in_the_tenant_namespace(tree: Tree) -> None:
    """A tenant-labelled object is in its tenant's namespace; what a tenant needs in a platform
    namespace (Velero Schedule, Vault access) is labelled for-tenant instead."""
    for doc in tree.docs:
        labels = doc.body["metadata"].get("labels", {})
        parts = doc.file.split("/")
        if len(parts) < 3 or parts[1] == "argocd" or doc.kind == "Namespace":
            continue  # the entry points, and AppProjects (which name their tenant)
        if parts[1] == "platform":
            assert "infraforge.io/tenant" not in labels, doc.file
        elif "infraforge.io/tenant" in labels:
            assert doc.namespace == f"{labels['infraforge.io/tenant']}-{doc.env}", doc.file


def test_example_renders_unchanged_twice(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    first = {p: p.read_bytes() for p in sorted((project / "rendered").rglob("*.yaml"))}
    result = run_cli("-C", str(project), "render")
    assert result.code == 0
    assert first == {p: p.read_bytes() for p in sorted((project / "rendered").rglob("*.yaml"))}
