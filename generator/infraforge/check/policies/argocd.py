"""ArgoCD least privilege: AppProjects fence tenants in, ApplicationSets cannot be steered.

Follows ArgoCD's own guidance (projects.md, app-any-namespace.md, applicationset/Security.md):
never the `default` project; exact source repos and destinations; no cluster-scoped kinds and
no guardrail kinds for tenants; no Applications from the argocd namespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from infraforge.check.policies.podspec import as_dict, as_list
from infraforge.check.policies.registry import Finding, rule
from infraforge.check.policies.tree import PolicyTree, group_of
from infraforge.render.meta import TENANT_LABEL

ARGOCD_GROUP = "argoproj.io"
# Namespaced kinds a tenant must never own: the guardrails and ArgoCD's own.
GUARDRAIL_KINDS = (("", "ResourceQuota"), ("", "LimitRange"),
                   ("networking.k8s.io", "NetworkPolicy"), (ARGOCD_GROUP, "*"))


def argocd_objects(tree: PolicyTree, kind: str) -> list[Any]:
    return [o for o in tree.of_kind(kind) if group_of(o) == ARGOCD_GROUP]


def project_tenant(project: Any, tree: PolicyTree) -> str | None:
    """The tenant a project serves: its tenant label, else its name when a tenant has that name
    (an unlabelled project cannot dodge the tenant rules); platform projects serve nobody."""
    label = as_dict(as_dict(project.body.get("metadata")).get("labels")).get(TENANT_LABEL)
    if isinstance(label, str) and label:
        return label
    return project.name if project.name in tree.tenants else None


@rule("POL-APPPROJECT", "AppProjects are least-privilege: exact repos and destinations, "
      "tenants get no cluster kinds nor guardrail kinds, never `default`, never argocd as "
      "source namespace", hint="the compiler renders one project per tenant; see ArgoCD's "
      "projects.md on the default project and on allow/deny lists")
def app_project(tree: PolicyTree) -> Iterator[Finding]:
    for project in argocd_objects(tree, "AppProject"):
        spec = as_dict(project.body.get("spec"))
        if project.name == "default":
            yield Finding(project, "the `default` project allows everything; never render it")
        yield from (Finding(project, p) for p in source_problems(spec))
        tenant = project_tenant(project, tree)
        yield from (Finding(project, p) for p in destination_problems(spec, tenant, tree))
        if tenant is not None:
            yield from (Finding(project, p) for p in tenant_kind_problems(spec))
        yield from (Finding(project, p) for p in role_problems(spec, project.name))


def source_problems(spec: dict[str, Any]) -> Iterator[str]:
    repos = [str(r) for r in as_list(spec.get("sourceRepos"))]
    if not repos:
        yield "spec.sourceRepos is empty"
    for repo in repos:
        if "*" in repo or repo.startswith("!"):
            yield f"spec.sourceRepos entry {repo} is a pattern, not an exact repository"
    if len(set(repos)) != len(repos):
        yield "spec.sourceRepos has duplicates"
    for namespace in (str(n) for n in as_list(spec.get("sourceNamespaces"))):
        if namespace == "argocd" or "*" in namespace:
            yield f"spec.sourceNamespaces includes {namespace}"


def destination_problems(spec: dict[str, Any], tenant: str | None,
                         tree: PolicyTree) -> Iterator[str]:
    destinations = [as_dict(d) for d in as_list(spec.get("destinations"))]
    if not destinations:
        yield "spec.destinations is empty"
    for index, destination in enumerate(destinations):
        for key in ("server", "name", "namespace"):
            if "*" in str(destination.get(key, "")) or str(destination.get(key, "")).startswith("!"):
                yield f"spec.destinations[{index}].{key} is a pattern, not exact"
        namespace = str(destination.get("namespace", ""))
        if tenant is not None and not tree.is_tenant_namespace_of(tenant, namespace):
            yield (f"spec.destinations[{index}].namespace {namespace or '(none)'} is not one of "
                   f"tenant {tenant}'s namespaces")
    if tenant is not None:
        for namespace in (str(n) for n in as_list(spec.get("sourceNamespaces"))):
            if not tree.is_tenant_namespace_of(tenant, namespace):
                yield f"spec.sourceNamespaces {namespace} is outside tenant {tenant}"


def tenant_kind_problems(spec: dict[str, Any]) -> Iterator[str]:
    if spec.get("clusterResourceWhitelist") != []:
        yield "spec.clusterResourceWhitelist must be explicitly empty for a tenant project"
    if "namespaceResourceWhitelist" in spec:
        allowed = {(str(g.get("group", "")), str(g.get("kind", "")))
                   for g in map(as_dict, as_list(spec["namespaceResourceWhitelist"]))}
        leaked = [f"{g or 'core'}/{k}" for g, k in GUARDRAIL_KINDS
                  if (g, k) in allowed or (g, "*") in allowed or ("*", "*") in allowed]
    else:
        denied = {(str(g.get("group", "")), str(g.get("kind", "")))
                  for g in map(as_dict, as_list(spec.get("namespaceResourceBlacklist")))}
        leaked = [f"{g or 'core'}/{k}" for g, k in GUARDRAIL_KINDS
                  if (g, k) not in denied and (g, "*") not in denied]
    if leaked:
        yield f"tenant may create guardrail kinds {', '.join(leaked)}"


def role_problems(spec: dict[str, Any], project: str) -> Iterator[str]:
    for role in map(as_dict, as_list(spec.get("roles"))):
        for policy in (str(p) for p in as_list(role.get("policies"))):
            fields = [part.strip() for part in policy.split(",")]
            if len(fields) < 5 or not fields[1].startswith(f"proj:{project}:") \
                    or not fields[4].startswith(f"{project}/"):
                yield (f"role {role.get('name')} has a policy outside project {project} "
                       "(subject must be proj:<project>:<role>, object <project>/…)")
