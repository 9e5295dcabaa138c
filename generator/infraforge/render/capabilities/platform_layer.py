"""The platform layer of one environment: an ArgoCD Application per platform component.

Each component listed in the Platform document (`spec.operators`, chart versions pinned there)
gets its own AppProject (its chart repository and the rendered repository as sources, its own
namespace as destination, only the cluster-scoped kinds a chart of that kind installs) and an
Application with two sources: the pinned Helm chart with the environment's values, and
`<env>/platform/<component>/` on the rendered branch (hydrator layout: manifest.yaml and
README.md) holding what InfraForge adds: the component's Namespace, the tenants' Velero
Schedules and Vault access entries, the Kyverno ClusterPolicies. The Applications and
AppProjects live in `<env>/argocd/`, which the environment's root Application already syncs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from infraforge.emit.yaml import dump_document
from infraforge.model.kinds import Operator, PlatformSpec
from infraforge.render.capabilities import kyverno
from infraforge.render.capabilities.components import component_namespace
from infraforge.render.capabilities.platform_values import VALUES
from infraforge.render.meta import SYNC_WAVE, WAVE_PLATFORM, obj, platform_labels
from infraforge.render.objects import Emitted, emit, join_emitted
from infraforge.render.text import app_readme

ARGOCD_API = "argoproj.io/v1alpha1"
COMPONENT_LABEL = "infraforge.io/component"
_OPERATOR_KINDS = (
    ("", "Namespace"), ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
)
EXTRA_CLUSTER_KINDS = {
    "keda": (("apiregistration.k8s.io", "APIService"),),
    "kyverno": (("kyverno.io", "ClusterPolicy"),),
}
EXTRA_DESTINATIONS = {"kube-prometheus-stack": ("kube-system",)}  # control-plane scrape Services
PRIVILEGED = frozenset({"kube-prometheus-stack"})  # node-exporter needs the host's namespaces


@dataclass(frozen=True)
class PlatformLayer:
    argocd: list[dict[str, Any]]  # AppProjects and Applications for <env>/argocd/
    directories: dict[str, list[Emitted]]  # <env>/platform/<component> → its objects


def platform_path(env: str, component: str) -> str:
    return f"{env}/platform/{component}"


def installed(operator: Operator, settings: dict[str, Any], has_schedules: bool) -> bool:
    if operator.name == "velero":
        return bool(settings["backup"]["enabled"]) or has_schedules
    if operator.name == "kube-prometheus-stack":
        return bool(settings["monitoring"]["enabled"])
    return True


def render_platform(env: str, platform: PlatformSpec, settings: dict[str, Any], source: str,
                    tenant_objects: list[Emitted],
                    dump: Callable[[dict[str, Any]], str] = dump_document) -> PlatformLayer:
    """`settings` are the environment's (defaults ← overlay); `tenant_objects` are the units'
    objects for platform namespaces, filed under the component owning that namespace; `dump`
    emits the layer's own objects."""
    by_namespace: dict[str, list[Emitted]] = {}
    for item in tenant_objects:
        by_namespace.setdefault(item.namespace, []).append(item)
    argocd: list[dict[str, Any]] = []
    directories: dict[str, list[Emitted]] = {}
    for operator in sorted(platform.operators, key=lambda o: o.name):
        namespace = component_namespace(platform, operator.name)
        if not installed(operator, settings, bool(by_namespace.get(namespace))):
            continue
        argocd += [_project(env, platform, operator, namespace, source),
                   _application(env, platform, operator, namespace, settings, source)]
        own = [_namespace(env, platform, operator.name, namespace, source)]
        if operator.name == "kyverno":
            own += kyverno.cluster_policies(env, source)
        objects = [emit(item, dump) for item in own] + by_namespace.get(namespace, [])
        directories[platform_path(env, operator.name)] = sorted(objects, key=itemgetter(0))
    return PlatformLayer(argocd, directories)


def directory_files(env: str, path: str, objects: list[Emitted]) -> list[tuple[str, bytes]]:
    """`manifest.yaml` and `README.md` of one component directory."""
    component = path.rsplit("/", 1)[-1]
    namespace = next(o.name for o in objects if o.kind == "Namespace")
    sources = sorted({o.source for o in objects})
    readme = app_readme(
        title=f"Platform component {component} in {env}",
        summary="What InfraForge adds next to the pinned Helm chart of this component (the "
        "Application in the environment's argocd/ directory installs both).",
        environment=env, namespace=namespace, project=f"platform-{component}",
        object_count=len(objects), sources=sources, explain_commands=[])
    return [(f"{path}/manifest.yaml", join_emitted(objects).encode()),
            (f"{path}/README.md", readme.encode())]


def _head(kind: str, name: str, env: str, platform: PlatformSpec, component: str,
          source: str) -> dict[str, Any]:
    item = obj(ARGOCD_API, kind, name, platform.gitops.argocdNamespace,
               platform_labels(env, **{COMPONENT_LABEL: component}), source)
    item["metadata"]["annotations"][SYNC_WAVE] = WAVE_PLATFORM
    return item


def _project(env: str, platform: PlatformSpec, operator: Operator, namespace: str,
             source: str) -> dict[str, Any]:
    server = _server(platform, env)
    kinds = _OPERATOR_KINDS + EXTRA_CLUSTER_KINDS.get(operator.name, ())
    project = _head("AppProject", f"platform-{operator.name}", env, platform, operator.name,
                    source)
    project["spec"] = {
        "description": f"Platform component {operator.name} ({operator.chart} "
                       f"{operator.version}) in {namespace}",
        "sourceRepos": sorted({operator.repoURL, platform.gitops.repoURL}),
        "destinations": [{"server": server, "namespace": ns}
                         for ns in (namespace, *EXTRA_DESTINATIONS.get(operator.name, ()))],
        "clusterResourceWhitelist": [{"group": g, "kind": k} for g, k in kinds],
        "sourceNamespaces": [],
    }
    return project


def _application(env: str, platform: PlatformSpec, operator: Operator, namespace: str,
                 settings: dict[str, Any], source: str) -> dict[str, Any]:
    app = _head("Application", f"platform-{operator.name}-{env}", env, platform, operator.name,
                source)
    chart = {"repoURL": operator.repoURL, "chart": operator.chart,
             "targetRevision": operator.version,
             "helm": {"releaseName": operator.name,
                      "valuesObject": VALUES[operator.name](env, settings)}}
    rendered = {"repoURL": platform.gitops.repoURL,
                "targetRevision": platform.gitops.renderedBranch,
                "path": platform_path(env, operator.name)}
    app["spec"] = {
        "project": f"platform-{operator.name}",
        "destination": {"server": _server(platform, env), "namespace": namespace},
        "sources": [chart, rendered],
        # an operator's CRDs hold every tenant's data: prod never prunes automatically
        "syncPolicy": {"automated": {"prune": env != "prod", "selfHeal": True},
                       "syncOptions": ["ServerSideApply=true"],
                       "retry": {"limit": 10, "backoff": {"duration": "10s", "factor": 2,
                                                          "maxDuration": "5m"}}},
    }
    return app


def _namespace(env: str, platform: PlatformSpec, component: str, name: str,
               source: str) -> dict[str, Any]:
    enforce = "privileged" if component in PRIVILEGED else "baseline"
    labels = platform_labels(env, **{COMPONENT_LABEL: component})
    for mode, level in (("enforce", enforce), ("warn", "restricted"), ("audit", "restricted")):
        labels[f"pod-security.kubernetes.io/{mode}"] = level
        labels[f"pod-security.kubernetes.io/{mode}-version"] = platform.podSecurityVersion
    namespace = obj("v1", "Namespace", name, None, labels, source)
    namespace["metadata"]["annotations"][SYNC_WAVE] = "-1"
    return namespace


def _server(platform: PlatformSpec, env: str) -> str:
    return next(e.cluster.server for e in platform.environments if e.name == env)
