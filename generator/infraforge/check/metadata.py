"""Our own checks where kubeconform is blind (schemas.md §1.6, README "Known gaps").

- A custom resource's schema never closes its root, so a typo at the top (`specs:`) passes:
  only the CRD's own root properties (plus apiVersion, kind, metadata, spec, status) are allowed.
- `metadata` of a custom resource is just `{"type": "object"}`, and even the strict core schemas
  check no formats: names, namespaces, label and annotation keys and values are checked here
  for every object, by the API server's rules.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from infraforge.check.backstage import is_entity
from infraforge.check.documents import ParsedFile
from infraforge.check.k8s_names import (
    NAME_RULES,
    dns_label,
    dns_subdomain,
    label_value,
    qualified_name,
)
from infraforge.check.objects import RenderedObject
from infraforge.check.schema_report import source_of
from infraforge.check.schema_store import SchemaStore
from infraforge.errors import Diagnostic

STANDARD_ROOT = frozenset({"apiVersion", "kind", "metadata", "spec", "status"})
OBJECT_META = frozenset({
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
    "annotations", "ownerReferences", "finalizers", "managedFields"})
MAX_ANNOTATIONS_BYTES = 256 * 1024


@cache
def crd_root_keys(schema: Path) -> frozenset[str]:
    return STANDARD_ROOT | frozenset(json.loads(schema.read_bytes()).get("properties", {}))


@cache
def kind_facts(store: SchemaStore, api_version: str, kind: str) -> tuple[bool, frozenset[str]]:
    """(custom resource?, allowed top-level keys), once per kind of a run."""
    schema = store.resolve(api_version, kind)
    if schema is not None and store.is_core(schema):
        return False, frozenset()
    return True, crd_root_keys(schema) if schema else STANDARD_ROOT


def check_objects(parsed: ParsedFile, store: SchemaStore) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for obj in parsed.objects:
        if is_entity(obj):
            continue  # Backstage entities have their own rules (check.backstage)
        for rule, message, steps in _problems(obj, store):
            found.append(Diagnostic(rule, f"{obj.describe()}: {message}",
                                    parsed.position(obj.index, steps), related=source_of(obj)))
    return found


Problem = tuple[str, str, tuple[str, ...]]


def _problems(obj: RenderedObject, store: SchemaStore) -> Iterator[Problem]:
    api_version, kind = obj.body.get("apiVersion"), obj.body.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str) or not api_version or not kind:
        yield "OBJECT-TYPE", "apiVersion and kind must both be set (strings)", ()
        return
    custom, allowed = kind_facts(store, api_version, kind)
    if custom:
        for key in obj.body:
            if key not in allowed:
                listed = ", ".join(sorted(allowed))
                yield "OBJECT-ROOT-KEY", f"unknown top-level field {key!r} ({listed})", (key,)
    meta = obj.body.get("metadata")
    if not isinstance(meta, dict):
        yield "META-MISSING", "metadata must be a mapping with at least a name", ()
        return
    yield from _meta_problems(kind, meta, custom)


def _meta_problems(kind: str, meta: dict, custom: bool) -> Iterator[Problem]:
    if custom:
        for key in meta:
            if key not in OBJECT_META:
                yield "META-UNKNOWN-KEY", f"unknown metadata field {key!r}", ("metadata", key)
    name = meta.get("name")
    if not isinstance(name, str) or not name:
        if not meta.get("generateName"):
            yield "META-NAME", "metadata.name is missing", ("metadata",)
    else:
        reason = NAME_RULES.get(kind, dns_subdomain)(name)
        if reason:
            yield "META-NAME", f"name {name!r} is not {reason}", ("metadata", "name")
    namespace = meta.get("namespace")
    if namespace is not None and (not isinstance(namespace, str) or dns_label(namespace)):
        yield "META-NAMESPACE", f"namespace {namespace!r} is not a DNS-1123 label", \
            ("metadata", "namespace")
    yield from _map_problems(meta, "labels", "META-LABEL", label_value, custom)
    yield from _map_problems(meta, "annotations", "META-ANNOTATION", lambda _: None, custom)
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        size = sum(len(str(k)) + len(str(v)) for k, v in annotations.items())
        if size > MAX_ANNOTATIONS_BYTES:
            message = f"annotations total {size} bytes, over the limit of {MAX_ANNOTATIONS_BYTES}"
            yield "META-ANNOTATION", message, ("metadata", "annotations")


def _map_problems(meta: dict, field: str, rule: str, check_value: Callable[[str], str | None],
                  custom: bool) -> Iterator[Problem]:
    """Keys and values of labels or annotations; value types only where no schema checks them
    (the strict core schemas already do)."""
    values = meta.get(field)
    if values is None:
        return
    if not isinstance(values, dict):
        if custom:
            yield rule, f"metadata.{field} must be a mapping of strings", ("metadata", field)
        return
    for key, value in values.items():
        where = ("metadata", field, str(key))
        reason = qualified_name(key) if isinstance(key, str) else "a string"
        if reason:
            yield rule, f"{field[:-1]} key {key!r} is not {reason}", where
        elif not isinstance(value, str):
            if custom:
                kind = type(value).__name__
                yield rule, f"{field[:-1]} {key!r} has a {kind} value, not a string", where
        elif check_value(value):
            yield rule, f"{field[:-1]} {key!r}: value {value!r} is not {check_value(value)}", where
