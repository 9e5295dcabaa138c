"""ApplicationSets cannot be steered: a tenant value never picks a project or destination.

ArgoCD's applicationset/Security.md: with a templated project, whoever controls the generator's
elements controls the project. Ours come only from list generators the compiler fills with
validated tenant, namespace and path, and prod ApplicationSets never delete Applications.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from infraforge.check.policies.argocd import argocd_objects
from infraforge.check.policies.podspec import as_dict, as_list
from infraforge.check.policies.registry import Finding, rule
from infraforge.check.policies.tree import PolicyTree
from infraforge.render.meta import ENV_LABEL

COMPILER_FIELDS = frozenset({"tenant", "namespace", "path"})
TEMPLATE_REF = re.compile(r"\{\{(.*?)\}\}")
PLAIN_FIELD = re.compile(r"\s*\.([A-Za-z]+)\s*")
SAFE_PROD_SYNC = ("create-update", "create-only")


@rule("POL-APPLICATIONSET", "ApplicationSets use goTemplate with missingkey=error, take "
      "project and destination only from compiler-made list elements, and never delete in prod",
      hint="see ArgoCD's applicationset/Security.md: a templated project or destination must "
           "come from a source of truth only admins control")
def application_set(tree: PolicyTree) -> Iterator[Finding]:
    for appset in argocd_objects(tree, "ApplicationSet"):
        spec = as_dict(appset.body.get("spec"))
        environment = as_dict(as_dict(appset.body.get("metadata")).get("labels")).get(ENV_LABEL)
        problems = [*template_options(spec), *steering(spec),
                    *element_problems(spec, environment, tree)]
        if environment == "prod":
            problems += prod_sync(spec)
        yield from (Finding(appset, p) for p in problems)


def template_options(spec: dict[str, Any]) -> Iterator[str]:
    if spec.get("goTemplate") is not True:
        yield "spec.goTemplate is not true"
    if "missingkey=error" not in as_list(spec.get("goTemplateOptions")):
        yield "spec.goTemplateOptions lacks missingkey=error"
    if "templatePatch" in spec:
        yield "spec.templatePatch can rewrite project and destination; not allowed"


def steering(spec: dict[str, Any]) -> Iterator[str]:
    app = as_dict(as_dict(spec.get("template")).get("spec"))
    project = app.get("project")
    if not isinstance(project, str) or not project or project == "default":
        yield f"spec.template.spec.project is {project or 'missing'}"
    fields = {"project": project, **{f"destination.{k}": v for k, v in
                                      as_dict(app.get("destination")).items()}}
    for field, value in fields.items():
        for reference in TEMPLATE_REF.findall(str(value)):
            plain = PLAIN_FIELD.fullmatch(reference)
            if plain is None or plain.group(1) not in COMPILER_FIELDS \
                    or field == "destination.server":
                yield (f"spec.template.spec.{field} is taken from {{{{{reference}}}}}, not a "
                       "compiler-made element field")
    for generator in map(as_dict, as_list(spec.get("generators"))):
        if set(generator) != {"list"}:
            yield (f"generator {', '.join(sorted(generator)) or '(empty)'} draws elements from "
                   "outside the compiler; only list generators are allowed")


def element_problems(spec: dict[str, Any], environment: Any, tree: PolicyTree) -> Iterator[str]:
    for generator in map(as_dict, as_list(spec.get("generators"))):
        elements = as_list(as_dict(generator.get("list")).get("elements"))
        for index, element in enumerate(map(as_dict, elements)):
            extra = sorted(set(element) - COMPILER_FIELDS)
            if extra:
                yield f"list element {index} has free fields {', '.join(extra)}"
            tenant, namespace = str(element.get("tenant", "")), str(element.get("namespace", ""))
            expected = f"{tenant}-{environment}" if environment else None
            if not tree.is_tenant_namespace_of(tenant, namespace) or \
                    expected not in (None, namespace):
                yield (f"list element {index} sends tenant {tenant or '(none)'} to namespace "
                       f"{namespace or '(none)'}")


def prod_sync(spec: dict[str, Any]) -> Iterator[str]:
    policy = as_dict(spec.get("syncPolicy"))
    if policy.get("applicationsSync") not in SAFE_PROD_SYNC:
        yield "prod spec.syncPolicy.applicationsSync must be create-update (no deletes)"
    if policy.get("preserveResourcesOnDeletion") is not True:
        yield "prod spec.syncPolicy.preserveResourcesOnDeletion must be true"
