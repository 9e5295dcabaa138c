"""Offline ApplicationSet preview: which Applications ArgoCD will create, delete or change.

The rendered ApplicationSets use list generators, whose elements the compiler wrote, so the
set of Applications is fully known without an ArgoCD server: each element is substituted into
the template exactly as the ApplicationSet controller would. Static Applications (the appsets/
entry points) are included as they are.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from infraforge.diff.documents import YAML_SUFFIXES, Document, split_documents
from infraforge.diff.gotemplate import TemplateError, compile_template
from infraforge.diff.merge import deep_merge, diff_paths

CREATE, CHANGE, DELETE = "create", "change", "delete"
_ARGO_KIND = re.compile(rb"^kind: Application(Set)?\s*$", re.MULTILINE)
_ARGO_DOC = re.compile(r"^kind: Application(Set)?\s*$", re.MULTILINE)


class PreviewError(Exception):
    """An ApplicationSet that cannot be expanded, as ArgoCD would also refuse it."""


@dataclass(frozen=True)
class Application:
    environment: str
    namespace: str
    name: str
    project: str
    server: str
    destination_namespace: str
    path: str
    origin: str                     # "ApplicationSet tenants-prod" or the file of a static app
    policy: str = ""                # the ApplicationSet's applicationsSync ("sync" by default)
    preserve_resources: bool = False
    body: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str, str]:
        return self.environment, self.namespace, self.name

    @property
    def kept_on_delete(self) -> bool:
        """ArgoCD's ApplicationSet controller never deletes under these policies."""
        return self.policy in ("create-only", "create-update")


@dataclass(frozen=True)
class AppChange:
    action: str
    app: Application                 # the new Application (the old one when deleted)
    before: Application | None = None
    fields: tuple[str, ...] = ()     # changed fields, e.g. spec.source.path


AppKey = tuple[str, str, str]  # (environment, namespace, name)


@dataclass(frozen=True)
class Preview:
    changes: tuple[AppChange, ...]
    base: Mapping[AppKey, Application]
    head: Mapping[AppKey, Application]
    notes: tuple[str, ...]

    def by_directory(self) -> dict[str, Application]:
        """Source path → the Application that deploys it (head's when both have one)."""
        return {app.path: app for app in (*self.base.values(), *self.head.values())}


def preview(base: Mapping[str, bytes], head: Mapping[str, bytes]) -> Preview:
    notes: list[str] = []
    old, new = collect(base, notes), collect(head, notes)
    changes = [AppChange(CREATE, app) for key, app in new.items() if key not in old]
    changes += [AppChange(DELETE, app) for key, app in old.items() if key not in new]
    for key in old.keys() & new.keys():
        fields = diff_paths(old[key].body, new[key].body)
        if fields:
            changes.append(AppChange(CHANGE, new[key], old[key], tuple(fields)))
    changes.sort(key=lambda c: (c.app.key, c.action))
    return Preview(tuple(changes), old, new, tuple(dict.fromkeys(notes)))


def collect(files: Mapping[str, bytes], notes: list[str]) -> dict[AppKey, Application]:
    """Every Application a tree declares or generates, by (environment, namespace, name)."""
    apps: dict[AppKey, Application] = {}
    for path, data in sorted(files.items()):
        # a substring test first: the anchored pattern is slow over 50 MB of manifests
        if not path.endswith(YAML_SUFFIXES) or b"kind: Application" not in data:
            continue
        if not _ARGO_KIND.search(data):
            continue
        for text in split_documents(data):
            if "kind: Application" not in text or not _ARGO_DOC.search(text):
                continue
            declared, found = _applications(path, text)
            notes += found
            for app in declared:
                if app.key in apps:
                    raise PreviewError(f"Application {app.namespace}/{app.name} in "
                                       f"{app.environment} is defined twice ({app.origin} "
                                       f"and {apps[app.key].origin})")
                apps[app.key] = app
    return apps


@functools.lru_cache(maxsize=1024)
def _applications(path: str, text: str) -> tuple[tuple[Application, ...], tuple[str, ...]]:
    """The Applications one document declares or generates, and notes; by text, so an
    ApplicationSet both sides share is expanded once."""
    doc = Document(path, text)
    body, notes = doc.body, []
    if not isinstance(body, dict) or not isinstance(body.get("spec"), dict):
        return (), ()
    env = doc.location.environment
    if body.get("kind") == "Application":
        return (_application(env, body, path, "", False, body["metadata"].get("namespace")),), ()
    return tuple(_expand(env, body, path, notes)), tuple(notes)


def _expand(env: str, appset: dict[str, Any], file: str, notes: list[str]) -> list[Application]:
    spec, name = appset["spec"], appset["metadata"]["name"]
    go = bool(spec.get("goTemplate"))
    missing_error = "missingkey=error" in (spec.get("goTemplateOptions") or [])
    sync = spec.get("syncPolicy") or {}
    apps = []
    for index, generator in enumerate(spec.get("generators") or []):
        elements = (generator.get("list") or {}).get("elements")
        if set(generator) != {"list"} or elements is None or "templatePatch" in spec:
            notes.append(f"ApplicationSet {name} ({file}): generator {index} is not a plain list "
                         "generator; its Applications are not previewed")
            continue
        template = deep_merge(spec.get("template") or {}, generator["list"].get("template") or {})
        expand = compile_template(template, go, missing_error)
        for position, element in enumerate(elements):
            try:
                rendered = expand(element)
            except TemplateError as exc:
                raise PreviewError(f"ApplicationSet {name} ({file}), element {position}: "
                                   f"{exc}") from None
            apps.append(_application(env, rendered, f"ApplicationSet {name}",
                                     sync.get("applicationsSync", "sync"),
                                     bool(sync.get("preserveResourcesOnDeletion")),
                                     appset["metadata"].get("namespace")))
    return apps


def _application(env: str, app: dict[str, Any], origin: str, policy: str, preserve: bool,
                 default_namespace: str | None) -> Application:
    meta, spec = app.get("metadata") or {}, app.get("spec") or {}
    destination = spec.get("destination") or {}
    sources = [spec["source"]] if isinstance(spec.get("source"), dict) else spec.get("sources")
    if "sourceHydrator" in spec:
        sources = [spec["sourceHydrator"].get("syncSource") or {}]
    source = next((s for s in sources or [] if isinstance(s, dict) and s.get("path")), {})
    body = {"metadata": {k: meta[k] for k in ("labels", "annotations", "finalizers") if k in meta},
            "spec": spec}
    return Application(
        environment=env, namespace=str(meta.get("namespace") or default_namespace or ""),
        name=str(meta.get("name", "")), project=str(spec.get("project", "")),
        server=str(destination.get("server") or destination.get("name") or ""),
        destination_namespace=str(destination.get("namespace") or ""),
        path=str(source.get("path") or ""), origin=origin, policy=policy,
        preserve_resources=preserve, body=body)
