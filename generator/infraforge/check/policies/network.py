"""NetworkPolicy guardrails: default deny in every tenant namespace, explicit allow rules only.

An allow rule is explicit when it names its peers (a rule without `from`/`to`, an empty peer,
`namespaceSelector: {}` or a 0.0.0.0/0 block opens the namespace to everything) and when its pod
selectors match pods that are actually rendered (kube-score's "targets a pod" check).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from infraforge.check.policies.operators import operator_pod_labels
from infraforge.check.policies.podspec import as_dict, as_list
from infraforge.check.policies.registry import Finding, rule
from infraforge.check.policies.tree import PolicyTree

OPEN_CIDRS = ("0.0.0.0/0", "::/0")
DIRECTIONS = (("ingress", "from"), ("egress", "to"))


def _spec(obj: Any) -> dict[str, Any]:
    return as_dict(obj.body.get("spec"))


def is_default_deny(spec: dict[str, Any]) -> bool:
    return (selects_all(spec.get("podSelector"))
            and {"Ingress", "Egress"} <= set(as_list(spec.get("policyTypes")))
            and not as_list(spec.get("ingress")) and not as_list(spec.get("egress")))


def selects_all(selector: Any) -> bool:
    selector = as_dict(selector)
    return not selector.get("matchLabels") and not selector.get("matchExpressions")


@rule("POL-NETPOL-DEFAULT-DENY", "every tenant namespace has a default-deny NetworkPolicy for "
      "ingress and egress", hint="the guardrails render `default-deny` with podSelector: {} and "
      "policyTypes: [Ingress, Egress]")
def default_deny(tree: PolicyTree) -> Iterator[Finding]:
    for namespace in tree.namespaces.values():
        if not any(is_default_deny(_spec(p)) for p in namespace.of_kind("NetworkPolicy")):
            yield Finding(namespace.anchor, f"namespace {namespace.name} has no default-deny "
                          "NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress])")


@rule("POL-NETPOL-EXPLICIT-ALLOW", "NetworkPolicy allow rules name their peers, select "
      "rendered pods, and DNS egress is allowed", hint="list peers with pod/namespace selectors "
      "that match labels; an empty rule or peer allows everything")
def explicit_allow(tree: PolicyTree) -> Iterator[Finding]:
    labels = pod_labels(tree)
    for namespace in tree.namespaces.values():
        policies = namespace.of_kind("NetworkPolicy")
        for policy in policies:
            yield from _open_rules(policy)
            yield from _unmatched_selectors(policy, labels.get(namespace.name, []))
        if not any(_allows_dns(_spec(p)) for p in policies):
            yield Finding(namespace.anchor, f"namespace {namespace.name} has no NetworkPolicy "
                          "allowing DNS egress (port 53)")


def _open_rules(policy: Any) -> Iterator[Finding]:
    for direction, peers_key in DIRECTIONS:
        for index, item in enumerate(as_list(_spec(policy).get(direction))):
            peers = as_list(as_dict(item).get(peers_key))
            where = f"spec.{direction}[{index}]"
            if not peers:
                yield Finding(policy, f"{where} has no `{peers_key}`: it allows every peer")
            for peer in peers:
                problem = _open_peer(as_dict(peer))
                if problem:
                    yield Finding(policy, f"{where}.{peers_key} {problem}")


def _open_peer(peer: dict[str, Any]) -> str | None:
    if not peer:
        return "has an empty peer, which matches everything"
    if "namespaceSelector" in peer and selects_all(peer["namespaceSelector"]) \
            and "podSelector" not in peer:
        return "selects every namespace"
    if as_dict(peer.get("ipBlock")).get("cidr") in OPEN_CIDRS:
        return "opens the whole address space"
    return None


PodLabels = tuple[dict[str, Any], bool]  # labels, and whether they are all of them


def pod_labels(tree: PolicyTree) -> dict[str, list[PodLabels]]:
    """By namespace, built once per run: pod template labels, and the labels operators are
    known to put on the pods they run for capability resources."""
    by_namespace: dict[str, list[PodLabels]] = defaultdict(list)
    for pod in tree.pods:
        by_namespace[str(pod.obj.namespace)].append((pod.labels, True))
    for obj in tree.objects:
        by_namespace[str(obj.namespace)] += [(labels, False) for labels in operator_pod_labels(obj)]
    return by_namespace


def _unmatched_selectors(policy: Any, labels: list[PodLabels]) -> Iterator[Finding]:
    selector = as_dict(_spec(policy).get("podSelector"))
    if not selects_all(selector) and not any(matches(selector, *item) for item in labels):
        yield Finding(policy, "spec.podSelector matches no rendered pod in the namespace")


def matches(selector: dict[str, Any], labels: dict[str, Any], complete: bool = True) -> bool:
    """Kubernetes label selection. With `complete` false only the keys in `labels` are known:
    requirements on other keys are not held against them, but one known key must match."""
    keys = set(as_dict(selector.get("matchLabels"))) | {
        as_dict(e).get("key") for e in as_list(selector.get("matchExpressions"))}
    if not complete and not keys & set(labels):
        return False
    if any(labels.get(k) != v for k, v in as_dict(selector.get("matchLabels")).items()
           if complete or k in labels):
        return False
    for expression in as_list(selector.get("matchExpressions")):
        expression = as_dict(expression)
        key, values = expression.get("key"), as_list(expression.get("values"))
        if not complete and key not in labels:
            continue
        present = key in labels
        verdict = {"In": present and labels.get(key) in values,
                   "NotIn": not present or labels.get(key) not in values,
                   "Exists": present, "DoesNotExist": not present}
        if not verdict.get(str(expression.get("operator")), False):
            return False
    return True


def _allows_dns(spec: dict[str, Any]) -> bool:
    if "Egress" not in as_list(spec.get("policyTypes")):
        return False
    return any(str(as_dict(port).get("port")) in ("53", "dns")
               for item in as_list(spec.get("egress"))
               for port in as_list(as_dict(item).get("ports")))
