"""ArgoCD objects: one AppProject per tenant, ApplicationSets per environment, the root app.

Security rests here (ArgoCD's ApplicationSet security notes): every generator element is
computed by the compiler from validated names, `project` and `destination` are fixed per tenant,
tenant projects get exact destinations, no cluster-scoped kinds and no guardrail kinds, and the
guardrails run under a separate platform project whose name is a literal in the template.
"""

from __future__ import annotations

from typing import Any

from infraforge.model.kinds import PlatformSpec
from infraforge.render.meta import ENV_LABEL, MANAGED_BY, TENANT_LABEL
from infraforge.resolve.units import Unit

API = "argoproj.io/v1alpha1"
GUARDRAILS_PROJECT = "infraforge-guardrails"
PLATFORM_PROJECT = "infraforge-platform"
GUARDRAIL_KINDS = (
    ("", "ResourceQuota"), ("", "LimitRange"), ("networking.k8s.io", "NetworkPolicy"),
    ("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "RoleBinding"),
    ("argoproj.io", "*"), ("external-secrets.io", "ClusterSecretStore"),
    ("external-secrets.io", "SecretStore"),
    ("kyverno.io", "*"), ("velero.io", "*"),
)


def workloads_path(env: str, tenant: str) -> str:
    return f"{env}/{tenant}/workloads"


def guardrails_path(env: str, tenant: str) -> str:
    return f"{env}/{tenant}/guardrails"


def argocd_path(env: str) -> str:
    return f"{env}/argocd"


def render_argocd(env: str, units: list[Unit], platform: PlatformSpec) -> list[dict[str, Any]]:
    """The objects of `<env>/argocd/` that span tenants: the guardrails project and the two
    ApplicationSets (each unit renders its own tenant project, see render/unit.py)."""
    server = _server(platform, env)
    return [guardrails_project(env, platform, units),
            tenants_appset(env, units, platform, server),
            guardrails_appset(env, units, platform, server)]


def _head(kind: str, name: str, platform: PlatformSpec, labels: dict[str, str]) -> dict[str, Any]:
    return {"apiVersion": API, "kind": kind, "metadata": {
        "name": name, "namespace": platform.gitops.argocdNamespace,
        "labels": {"app.kubernetes.io/managed-by": MANAGED_BY, **labels}}}


def tenant_project(unit: Unit, platform: PlatformSpec) -> dict[str, Any]:
    project = _head("AppProject", unit.tenant, platform, {TENANT_LABEL: unit.tenant})
    project["spec"] = {
        "description": f"Tenant {unit.tenant}: workloads in {unit.namespace} only",
        "sourceRepos": [platform.gitops.repoURL],
        "destinations": [{"server": unit.cluster_server, "namespace": unit.namespace}],
        "clusterResourceWhitelist": [],
        "namespaceResourceBlacklist": [{"group": g, "kind": k} for g, k in GUARDRAIL_KINDS],
        "sourceNamespaces": [],
        "orphanedResources": {"warn": True},
        "roles": [{
            "name": "owners",
            "description": "the tenant's owner group may view and sync its applications",
            "groups": [unit.tenant_spec.owner.group],
            "policies": [f"p, proj:{unit.tenant}:owners, applications, get, {unit.tenant}/*, allow",
                         f"p, proj:{unit.tenant}:owners, applications, sync, {unit.tenant}/*, allow"],
        }],
    }
    return project


def guardrails_project(env: str, platform: PlatformSpec, units: list[Unit]) -> dict[str, Any]:
    project = _head("AppProject", GUARDRAILS_PROJECT, platform, {ENV_LABEL: env})
    server = _server(platform, env)
    project["spec"] = {
        "description": "Platform-owned namespace guardrails of every tenant",
        "sourceRepos": [platform.gitops.repoURL],
        "destinations": [{"server": server, "namespace": u.namespace} for u in units],
        "clusterResourceWhitelist": [{"group": "", "kind": "Namespace"}],
        "sourceNamespaces": [],
    }
    return project


def tenants_appset(env: str, units: list[Unit], platform: PlatformSpec,
                   server: str) -> dict[str, Any]:
    elements = [{"tenant": u.tenant, "namespace": u.namespace,
                 "path": workloads_path(env, u.tenant)} for u in units]
    template = _template(env, platform, "{{.tenant}}-" + env, "{{.tenant}}", server)
    return _appset(f"tenants-{env}", env, platform, elements, template)


def guardrails_appset(env: str, units: list[Unit], platform: PlatformSpec,
                      server: str) -> dict[str, Any]:
    elements = [{"tenant": u.tenant, "namespace": u.namespace,
                 "path": guardrails_path(env, u.tenant)} for u in units]
    template = _template(env, platform, "{{.tenant}}-" + env + "-guardrails",
                         GUARDRAILS_PROJECT, server)
    return _appset(f"guardrails-{env}", env, platform, elements, template)


def _template(env: str, platform: PlatformSpec, name: str, project: str,
              server: str) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "labels": {
            TENANT_LABEL: "{{.tenant}}", ENV_LABEL: env,
            "app.kubernetes.io/managed-by": MANAGED_BY}},
        "spec": {
            "project": project,
            "source": {"repoURL": platform.gitops.repoURL,
                       "targetRevision": platform.gitops.renderedBranch, "path": "{{.path}}"},
            "destination": {"server": server, "namespace": "{{.namespace}}"},
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True},
                           "syncOptions": ["PruneLast=true", "ServerSideApply=true"]},
        },
    }


def _appset(name: str, env: str, platform: PlatformSpec, elements: list[dict[str, str]],
            template: dict[str, Any]) -> dict[str, Any]:
    appset = _head("ApplicationSet", name, platform, {ENV_LABEL: env})
    appset["spec"] = {
        "goTemplate": True,
        "goTemplateOptions": ["missingkey=error"],
        "generators": [{"list": {"elements": elements}}],
        "template": template,
        "syncPolicy": _appset_sync_policy(env),
    }
    return appset


def _appset_sync_policy(env: str) -> dict[str, Any]:
    # In prod a generator glitch must never mass-delete: Applications are only created and
    # updated by the ApplicationSet, and deleting one keeps its resources.
    if env == "prod":
        return {"applicationsSync": "create-update", "preserveResourcesOnDeletion": True}
    return {"preserveResourcesOnDeletion": False}


def root_application(env: str, platform: PlatformSpec) -> list[dict[str, Any]]:
    """`appsets/<env>.yaml`: applied once per cluster; it syncs `<env>/argocd/` thereafter."""
    project = _head("AppProject", PLATFORM_PROJECT, platform, {ENV_LABEL: env})
    project["spec"] = {
        "description": "InfraForge's entry point: AppProjects, ApplicationSets and the "
                       "platform components' Applications only",
        "sourceRepos": [platform.gitops.repoURL],
        "destinations": [{"server": _server(platform, env),
                          "namespace": platform.gitops.argocdNamespace}],
        "clusterResourceWhitelist": [],
        "namespaceResourceWhitelist": [{"group": "argoproj.io", "kind": "AppProject"},
                                       {"group": "argoproj.io", "kind": "ApplicationSet"},
                                       {"group": "argoproj.io", "kind": "Application"}],
        "sourceNamespaces": [],
    }
    app = _head("Application", f"infraforge-{env}", platform, {ENV_LABEL: env})
    app["spec"] = {
        "project": PLATFORM_PROJECT,
        "source": {"repoURL": platform.gitops.repoURL,
                   "targetRevision": platform.gitops.renderedBranch, "path": argocd_path(env)},
        "destination": {"server": _server(platform, env),
                        "namespace": platform.gitops.argocdNamespace},
        "syncPolicy": {"automated": {"prune": env != "prod", "selfHeal": True}},
    }
    return [project, app]


def _server(platform: PlatformSpec, env: str) -> str:
    return next(e.cluster.server for e in platform.environments if e.name == env)
