"""RBAC without escalation paths (Kubernetes' "RBAC good practices", CIS 5.1).

Tenants get namespaced Roles and RoleBindings only; no binding reaches cluster-admin or admin;
no rule uses wildcards or the escalate/bind/impersonate verbs, execs into pods or lists
secrets; subjects come from the tenant's own namespace and never from `system:` groups.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from infraforge.check.policies.podspec import as_dict, as_list
from infraforge.check.policies.registry import Finding, rule
from infraforge.check.policies.tree import PolicyTree

ROLE_KINDS = ("Role", "ClusterRole")
BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")
FORBIDDEN_ROLES = frozenset({"cluster-admin", "admin"})
ESCALATING_VERBS = frozenset({"escalate", "bind", "impersonate"})
EXEC_RESOURCES = frozenset({"pods/exec", "pods/attach"})
SECRET_READ_VERBS = frozenset({"list", "watch"})


@rule("POL-RBAC-ESCALATION", "RBAC grants no escalation: namespaced bindings only, no "
      "cluster-admin/admin, no wildcards, escalate/bind/impersonate, exec or secret listing, "
      "subjects from the tenant only", hint="bind the view or edit ClusterRole with a "
      "RoleBinding, or write a Role listing exact resources and verbs")
def rbac_escalation(tree: PolicyTree) -> Iterator[Finding]:
    for obj in tree.of_kind(*ROLE_KINDS, *BINDING_KINDS):
        if obj.kind.startswith("Cluster") and tree.scope(obj) is not None:
            yield Finding(obj, f"{obj.kind} in a tenant's tree; tenants get namespaced RBAC only")
        if obj.kind in ROLE_KINDS:
            for index, item in enumerate(as_list(obj.body.get("rules"))):
                for problem in rule_problems(as_dict(item)):
                    yield Finding(obj, f"rules[{index}] {problem}")
        else:
            yield from binding_problems(obj)


def rule_problems(item: dict[str, Any]) -> Iterator[str]:
    verbs = {str(v) for v in as_list(item.get("verbs"))}
    resources = {str(r) for r in as_list(item.get("resources"))}
    for field in ("apiGroups", "resources", "verbs", "nonResourceURLs"):
        if "*" in {str(v) for v in as_list(item.get(field))}:
            yield f"uses a wildcard in {field}"
    if verbs & ESCALATING_VERBS:
        yield f"grants {', '.join(sorted(verbs & ESCALATING_VERBS))}"
    if resources & EXEC_RESOURCES:
        yield f"grants {', '.join(sorted(resources & EXEC_RESOURCES))}"
    if "secrets" in resources and verbs & SECRET_READ_VERBS:
        yield f"grants {', '.join(sorted(verbs & SECRET_READ_VERBS))} on secrets"


def binding_problems(binding: Any) -> Iterator[Finding]:
    role = as_dict(binding.body.get("roleRef"))
    if role.get("kind") == "ClusterRole" and role.get("name") in FORBIDDEN_ROLES:
        yield Finding(binding, f"binds ClusterRole {role['name']}")
    for index, subject in enumerate(as_list(binding.body.get("subjects"))):
        subject = as_dict(subject)
        name, kind = str(subject.get("name", "")), subject.get("kind")
        if name.startswith("system:"):
            yield Finding(binding, f"subjects[{index}] is the built-in {kind} {name}")
        if kind == "ServiceAccount" and binding.namespace is not None \
                and subject.get("namespace", binding.namespace) != binding.namespace:
            yield Finding(binding, f"subjects[{index}] is ServiceAccount {name} from namespace "
                          f"{subject.get('namespace')}, outside {binding.namespace}")
