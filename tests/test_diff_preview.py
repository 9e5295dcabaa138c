"""The offline ApplicationSet preview: expanding list generators exactly as ArgoCD does."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from infraforge.diff.gotemplate import TemplateError, render_string
from infraforge.diff.preview import PreviewError, preview
from infraforge.emit.yaml import dump_documents

ARGOCD = "prod/argocd/manifest.yaml"


def appset(elements: list[dict[str, Any]], **spec: Any) -> dict[str, Any]:
    template = {
        "metadata": {"name": "{{.tenant}}-prod", "labels": {"infraforge.io/tenant": "{{.tenant}}"}},
        "spec": {"project": "{{.tenant}}",
                 "source": {"repoURL": "https://git.example/gitops.git",
                            "targetRevision": "rendered", "path": "{{.path}}"},
                 "destination": {"server": "https://kubernetes.default.svc",
                                 "namespace": "{{.namespace}}"}}}
    body = {"goTemplate": True, "goTemplateOptions": ["missingkey=error"],
            "generators": [{"list": {"elements": elements}}], "template": template,
            "syncPolicy": {"applicationsSync": "create-update",
                           "preserveResourcesOnDeletion": True}}
    body.update(spec)
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
            "metadata": {"name": "tenants-prod", "namespace": "argocd"}, "spec": body}


def element(tenant: str) -> dict[str, str]:
    return {"tenant": tenant, "namespace": f"{tenant}-prod", "path": f"prod/{tenant}/workloads"}


def tree(*objects: dict[str, Any]) -> dict[str, bytes]:
    return {ARGOCD: dump_documents(list(objects)).encode()}


def test_applications_created_deleted_and_changed() -> None:
    base = appset([element("shop"), element("legacy"), element("search")])
    head = appset([element("shop"), element("search"), element("web")])
    head["spec"]["generators"][0]["list"]["elements"][1]["path"] = "prod/search/apps"
    result = preview(tree(base), tree(head))
    summary = [(c.action, c.app.name, c.fields) for c in result.changes]
    assert summary == [("delete", "legacy-prod", ()),
                       ("change", "search-prod", ("spec.source.path",)),
                       ("create", "web-prod", ())]
    created = result.changes[-1].app
    assert (created.project, created.server, created.destination_namespace, created.path,
            created.namespace, created.environment) == (
        "web", "https://kubernetes.default.svc", "web-prod", "prod/web/workloads", "argocd",
        "prod")
    deleted = result.changes[0].app
    assert deleted.kept_on_delete and deleted.preserve_resources  # prod: create-update


def test_identical_appsets_preview_nothing_and_static_apps_count() -> None:
    static = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
              "metadata": {"name": "infraforge-prod", "namespace": "argocd"},
              "spec": {"project": "infraforge-platform", "source": {"path": "prod/argocd"},
                       "destination": {"server": "https://kubernetes.default.svc",
                                       "namespace": "argocd"}}}
    base = tree(appset([element("shop")]))
    base["appsets/prod.yaml"] = dump_documents([static]).encode()
    assert preview(base, dict(base)).changes == ()
    head = dict(base)
    del head["appsets/prod.yaml"]
    (change,) = preview(base, head).changes
    assert (change.action, change.app.name, change.app.origin) == (
        "delete", "infraforge-prod", "appsets/prod.yaml")


def test_missing_key_is_an_error_under_missingkey_error() -> None:
    broken = appset([{"tenant": "shop", "namespace": "shop-prod"}])  # no "path"
    with pytest.raises(PreviewError, match=r"element 0: map has no entry for key 'path'"):
        preview({}, tree(broken))


def test_missing_key_prints_no_value_without_the_option() -> None:
    lenient = appset([{"tenant": "shop", "namespace": "shop-prod"}], goTemplateOptions=[])
    (change,) = preview({}, tree(lenient)).changes
    assert change.app.path == "<no value>"


def test_generator_template_overrides_are_merged() -> None:
    base = appset([element("shop")])
    head = copy.deepcopy(base)
    head["spec"]["generators"][0]["list"]["template"] = {"spec": {"project": "special"}}
    (change,) = preview(tree(base), tree(head)).changes
    assert (change.action, change.app.project, change.fields) == (
        "change", "special", ("spec.project",))
    assert change.app.path == "prod/shop/workloads"  # the rest of the template still applies


def test_duplicate_application_names_are_an_error() -> None:
    twice = appset([element("shop"), element("shop")])
    with pytest.raises(PreviewError, match="defined twice"):
        preview({}, tree(twice))


def test_generators_that_need_a_server_are_noted_not_guessed() -> None:
    clusters = appset([])
    clusters["spec"]["generators"] = [{"clusters": {}}]
    result = preview({}, tree(clusters))
    assert result.changes == ()
    assert result.notes == (("ApplicationSet tenants-prod (prod/argocd/manifest.yaml): generator "
                            "0 is not a plain list generator; its Applications are not "
                            "previewed"),)


@pytest.mark.parametrize(("text", "expected"), [
    ("{{.tenant}}-prod", "shop-prod"),
    ("{{ .tenant }}/{{.nested.key}}", "shop/v"),
    ("{{.flag}} {{.count}}", "true 3"),
    ("no template", "no template"),
])
def test_go_template_field_references(text: str, expected: str) -> None:
    params = {"tenant": "shop", "nested": {"key": "v"}, "flag": True, "count": 3}
    assert render_string(text, params, go=True, missing_error=True) == expected


@pytest.mark.parametrize("text", ["{{.tenant | upper}}", "{{- .tenant}}", "{{index . 0}}",
                                  "{{.nested}}", "{{.ratio}}"])
def test_anything_else_is_refused_rather_than_guessed(text: str) -> None:
    params = {"tenant": "shop", "nested": {"key": "v"}, "ratio": 0.5}
    with pytest.raises(TemplateError):
        render_string(text, params, go=True, missing_error=True)


def test_flat_templates_without_gotemplate() -> None:
    params = {"tenant": "shop", "values": {"size": "s"}}
    assert render_string("{{tenant}}-{{ values.size }}-{{unknown}}", params, go=False,
                         missing_error=False) == "shop-s-{{unknown}}"
