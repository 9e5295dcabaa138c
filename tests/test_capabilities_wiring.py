"""Every environment variable a Deployment reads resolves to something the render creates, and
the NetworkPolicies let a service reach exactly the capabilities it uses.

The operator facts below are the operators' documented behaviour, stated here independently of
the renderer: which Secrets (and keys) and Services each custom resource makes its operator
create, and which labels the operator puts on its pods.
"""

from __future__ import annotations

import re

import pytest

from capabilities_tree import Doc, Tree, container_env, copy_example, render
from conftest import REPO

CNPG_APP_KEYS = {"username", "password", "host", "port", "dbname", "uri", "jdbc-uri", "pgpass"}


def operator_secrets(doc: Doc) -> dict[str, set[str]]:
    if doc.kind == "Cluster":
        return {f"{doc.name}-app": CNPG_APP_KEYS}
    return {}


def operator_services(doc: Doc) -> dict[str, int]:
    """Service name → the pod port behind it."""
    name = doc.name
    return {"Cluster": {f"{name}-rw": 5432, f"{name}-ro": 5432, f"{name}-r": 5432},
            "Pooler": {name: 5432},
            "Redis": {name: 6379},
            "RedisCluster": {f"{name}-leader": 6379, f"{name}-follower": 6379},
            "RabbitmqCluster": {name: 5672},
            "Tenant": {"minio": 9000}}.get(doc.kind, {})


def operator_pod_labels(doc: Doc) -> list[dict[str, str]]:
    name = doc.name
    return {"Cluster": [{"cnpg.io/cluster": name, "cnpg.io/podRole": "instance"}],
            "Pooler": [{"cnpg.io/poolerName": name}],
            "Redis": [{"app": name, "redis_setup_type": "standalone", "role": "standalone"}],
            "RedisCluster": [{"app": f"{name}-leader", "redis_setup_type": "cluster",
                              "role": "leader"},
                             {"app": f"{name}-follower", "redis_setup_type": "cluster",
                              "role": "follower"}],
            "RabbitmqCluster": [{"app.kubernetes.io/name": name,
                                 "app.kubernetes.io/component": "rabbitmq",
                                 "app.kubernetes.io/part-of": "rabbitmq"}],
            "Tenant": [{"v1.min.io/tenant": name, "v1.min.io/pool": "pool-0"}]}.get(doc.kind, [])


def produced_secrets(tree: Tree, namespace: str) -> dict[str, set[str]]:
    """Secret name → keys, for every Secret the render makes someone create in `namespace`."""
    secrets: dict[str, set[str]] = {}
    for doc in tree.docs:
        if doc.namespace != namespace:
            continue
        if doc.kind == "ExternalSecret":
            target = doc.spec["target"]
            keys = {item["secretKey"] for item in doc.spec.get("data", [])}
            keys |= set(target.get("template", {}).get("data", {}))
            secrets[target.get("name", doc.name)] = keys
        secrets.update(operator_secrets(doc))
    return secrets


def produced_services(tree: Tree, namespace: str) -> dict[str, int]:
    services = {d.name: d.spec["ports"][0]["targetPort"]
                for d in tree.of_kind("Service", namespace=namespace)}
    for doc in tree.docs:
        if doc.namespace == namespace:
            services.update(operator_services(doc))
    return services


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    return render(copy_example(tmp_path_factory.mktemp("example")))


def test_every_secret_reference_names_a_produced_secret_and_key(tree: Tree) -> None:
    checked = 0
    for deployment in tree.of_kind("Deployment"):
        secrets = produced_secrets(tree, deployment.namespace)
        for variable in container_env(deployment):
            ref = variable.get("valueFrom", {}).get("secretKeyRef")
            if ref is None:
                continue
            where = f"{deployment.namespace}/{deployment.name} {variable['name']}"
            assert ref["name"] in secrets, f"{where}: no Secret {ref['name']} is produced"
            assert ref["key"] in secrets[ref["name"]], f"{where}: no key {ref['key']}"
            checked += 1
    assert checked > 40


HOST_VARIABLES = {"DB_HOST": "DB_PORT", "REDIS_HOST": "REDIS_PORT",
                  "RABBITMQ_HOST": "RABBITMQ_PORT"}


def test_every_host_names_a_service_the_render_creates_on_the_right_port(tree: Tree) -> None:
    checked = 0
    for deployment in tree.of_kind("Deployment"):
        env = {v["name"]: v.get("value") for v in container_env(deployment)}
        services = produced_services(tree, deployment.namespace)
        for host, port in HOST_VARIABLES.items():
            if host in env:
                assert env[host] in services, f"{deployment.namespace}: no Service {env[host]}"
                assert int(env[port]) == services[env[host]]
                checked += 1
        if "S3_ENDPOINT" in env:
            match = re.fullmatch(r"http://([a-z0-9-]+)\.([a-z0-9-]+)\.svc", env["S3_ENDPOINT"])
            assert match and match.group(2) == deployment.namespace
            assert match.group(1) in services
            checked += 1
    assert checked >= 15


def test_every_capability_variable_is_documented(tree: Tree) -> None:
    docs = (REPO / "docs" / "capabilities.md").read_text()
    catalog_names = {"LOG_FORMAT", "FEATURE_3DS", "BATCH_SIZE", "STRIPE_API_KEY",
                     "OIDC_SIGNING_KEY"}
    names = {v["name"] for d in tree.of_kind("Deployment") for v in container_env(d)}
    for name in sorted(names - catalog_names):
        documented = name if not name.startswith("S3_BUCKET_") else "S3_BUCKET_<NAME>"
        assert f"`{documented}`" in docs, f"{name} is not in docs/capabilities.md"


# --- network policies, evaluated like the API server does --------------------------------------

def selects(selector: dict, labels: dict[str, str]) -> bool:
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        present, value = expression["key"] in labels, labels.get(expression["key"])
        if not {"In": present and value in expression.get("values", []),
                "NotIn": value not in expression.get("values", []),
                "Exists": present, "DoesNotExist": not present}[expression["operator"]]:
            return False
    return True


def peer_admits(rule: dict, key: str, labels: dict[str, str], port: int) -> bool:
    ports = rule.get("ports")
    if ports is not None and not any(p.get("port") == port for p in ports):
        return False
    # a same-namespace peer: a podSelector alone (namespaceSelector or ipBlock peers are others)
    return any(set(peer) == {"podSelector"} and selects(peer["podSelector"], labels)
               for peer in rule.get(key, []))


def allowed(policies: list[Doc], source: dict, target: dict, port: int) -> bool:
    def direction(kind: str, key: str, subject: dict, other: dict) -> bool:
        relevant = [p for p in policies if kind in p.spec["policyTypes"]
                    and selects(p.spec["podSelector"], subject)]
        return any(peer_admits(rule, key, other, port)
                   for p in relevant for rule in p.spec.get(kind.lower(), []))

    return (direction("Egress", "to", source, target)
            and direction("Ingress", "from", target, source))


def test_services_reach_exactly_the_capabilities_they_use(tree: Tree) -> None:
    checked = 0
    for namespace in sorted({d.namespace for d in tree.of_kind("Deployment")}):
        policies = tree.of_kind("NetworkPolicy", namespace=namespace)
        services = produced_services(tree, namespace)
        capability_pods = [(doc, labels) for doc in tree.docs if doc.namespace == namespace
                           for labels in operator_pod_labels(doc)]
        for deployment in tree.of_kind("Deployment", namespace=namespace):
            pod = deployment.spec["template"]["metadata"]["labels"]
            env = {v["name"]: v.get("value") for v in container_env(deployment)}
            for doc, labels in capability_pods:
                port = next(iter(operator_services(doc).values()))
                entry = next(iter(operator_services(doc)))
                wired = entry in env.values() or any(entry in str(v) for v in env.values())
                verdict = allowed(policies, pod, labels, port)
                assert verdict == wired, (f"{namespace}: {deployment.name} → {doc.kind} "
                                          f"{doc.name}:{port} allowed={verdict} wired={wired}")
                checked += 1
        assert services
    assert checked > 20


def test_capability_pods_reach_each_other_and_not_the_workloads(tree: Tree) -> None:
    policies = tree.of_kind("NetworkPolicy", namespace="payments-prod")
    instances = {"cnpg.io/cluster": "postgres", "cnpg.io/podRole": "instance"}
    pooler = {"cnpg.io/poolerName": "postgres-pooler-rw"}
    api = tree.one("Deployment", "payments-prod", "api").spec["template"]["metadata"]["labels"]
    assert allowed(policies, pooler, instances, 5432)
    assert allowed(policies, instances, instances, 5432)
    assert not allowed(policies, instances, api, 8080)
    assert not allowed(policies, api, instances, 5432)  # prod clients go through the pooler
    assert allowed(policies, api, pooler, 5432)
