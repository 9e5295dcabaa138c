"""NetworkPolicies for the capabilities, on top of the namespace's default deny.

A service reaches exactly the capabilities it `uses`, on their client ports; the pods of a
capability reach each other (replication, clustering) and are reached by their own operator (and
KEDA for queue lengths) on the ports it needs; pods that talk to the Kubernetes API or to S3 may
open TCP 443 inside the VPC (the EKS endpoint and the S3 interface endpoint live there). Nothing
else: unrelated workloads in the namespace cannot open a connection to a database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infraforge.render.capabilities.common import (
    CAPABILITIES,
    PodGroup,
    clients,
    enabled,
    enabling_file,
)
from infraforge.render.capabilities.components import component_namespace
from infraforge.render.capabilities.wiring import MODULES
from infraforge.render.meta import obj, tenant_labels

if TYPE_CHECKING:
    from infraforge.resolve.units import Unit

API = "networking.k8s.io/v1"
WORKLOAD_LABEL = "infraforge.io/workload"  # on workload pods only, never on operator pods
HTTPS = 443


def workloads_selector(names: list[str] | None = None) -> dict[str, Any]:
    """Workload pods: all of them, or those of the named services."""
    if names is None:
        return {"matchExpressions": [{"key": WORKLOAD_LABEL, "operator": "Exists"}]}
    return {"matchExpressions": [{"key": WORKLOAD_LABEL, "operator": "In",
                                  "values": sorted(names)}]}


def network_policies(unit: Unit) -> list[dict[str, Any]]:
    policies = []
    for capability in CAPABILITIES:
        if not enabled(unit, capability):
            continue
        groups = MODULES[capability].pod_groups(unit)
        users = [s.name for s in clients(unit, capability)]
        source = enabling_file(unit, capability)
        policies += [_group_policy(unit, group, groups, users, source) for group in groups]
        if users:
            policies.append(_client_egress(unit, groups, users, source))
    return policies


def _group_policy(unit: Unit, group: PodGroup, groups: tuple[PodGroup, ...], users: list[str],
                  source: str) -> dict[str, Any]:
    peers = [{"podSelector": g.selector} for g in groups]
    ingress: list[dict[str, Any]] = [{"from": peers}]
    for component, ports in group.operator_ports:
        namespace = component_namespace(unit.platform, component)
        ingress.append({"from": [{"namespaceSelector": _namespace(namespace)}],
                        "ports": _ports(ports)})
    if users and group.client_ports:
        ingress.append({"from": [{"podSelector": workloads_selector(users)}],
                        "ports": _ports(group.client_ports)})
    egress: list[dict[str, Any]] = [{"to": peers}]
    if group.api_egress:
        egress.append({"to": [{"ipBlock": {"cidr": unit.settings["infrastructure"]["vpcCidr"]}}],
                       "ports": _ports((HTTPS,))})
    spec = {"podSelector": group.selector, "policyTypes": ["Ingress", "Egress"],
            "ingress": ingress, "egress": egress}
    return _policy(unit, f"allow-{group.name}", source, spec)


def _client_egress(unit: Unit, groups: tuple[PodGroup, ...], users: list[str],
                   source: str) -> dict[str, Any]:
    egress = [{"to": [{"podSelector": g.selector}], "ports": _ports(g.client_ports)}
              for g in groups if g.client_ports]
    spec = {"podSelector": workloads_selector(users), "policyTypes": ["Egress"], "egress": egress}
    return _policy(unit, f"allow-workloads-to-{groups[0].name}", source, spec)


def _policy(unit: Unit, name: str, source: str, spec: dict[str, Any]) -> dict[str, Any]:
    return obj(API, "NetworkPolicy", name, unit.namespace,
               tenant_labels(unit.tenant, unit.environment), source, spec)


def _namespace(name: str) -> dict[str, Any]:
    return {"matchLabels": {"kubernetes.io/metadata.name": name}}


def _ports(ports: tuple[int, ...]) -> list[dict[str, Any]]:
    return [{"protocol": "TCP", "port": port} for port in ports]
