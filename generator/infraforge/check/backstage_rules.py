"""Backstage's field-format rules (FieldFormatEntityPolicy, NoForeignRootFieldsEntityPolicy of
@backstage/catalog-model 1.10.3): code in Backstage, not schema, so restated here as predicates.
tests/backstage/ runs Backstage's own policies over the same files to keep the two in step."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

ROOT_FIELDS = ("apiVersion", "kind", "metadata", "spec")
_OBJECT_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_DNS_LABEL = re.compile(r"[a-z0-9]+(?:-+[a-z0-9]+)*")
_KIND = re.compile(r"[a-zA-Z][a-z0-9A-Z]*")
_VERSION = re.compile(r"[a-z0-9A-Z]+")
_TAG = re.compile(r"[a-z0-9:+#]+(-[a-z0-9:+#]+)*")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")
_NAME_SHAPE = "sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters"


def _sized(pattern: re.Pattern, most: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, str) and 1 <= len(v) <= most and bool(pattern.fullmatch(v))


object_name = _sized(_OBJECT_NAME, 63)
dns_label = _sized(_DNS_LABEL, 63)
kind_name = _sized(_KIND, 63)
tag = _sized(_TAG, 63)


def dns_subdomain(value: Any) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= 253 and all(
        dns_label(part) for part in value.split("."))


def prefixed(suffix_ok: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """`suffix` or `prefix/suffix`, the prefix a DNS subdomain; more than one '/' is invalid."""
    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return False
        parts = value.split("/")
        return (len(parts) == 1 and suffix_ok(parts[0])) or (
            len(parts) == 2 and dns_subdomain(parts[0]) and suffix_ok(parts[1]))
    return check


api_version = prefixed(_sized(_VERSION, 63))
qualified_key = prefixed(object_name)


def url(value: Any) -> bool:
    return isinstance(value, str) and bool(_URL.fullmatch(value)) and (
        not value.lower().startswith(("http:", "https:")) or "//" in value[5:9])


Problem = tuple[str, str, tuple[str | int, ...]]


def entity_problems(entity: dict[str, Any]) -> Iterator[Problem]:
    """(rule, message, field path) for every rule broken, not only the first as Backstage does."""
    allowed = ", ".join(ROOT_FIELDS)
    for key in entity:
        if key not in ROOT_FIELDS:
            yield "BACKSTAGE-ROOT-KEY", f"unknown root field {key!r} (only {allowed})", (key,)
    if not api_version(entity.get("apiVersion")):
        yield "BACKSTAGE-FORMAT", "apiVersion is not a valid prefix and/or suffix", ("apiVersion",)
    if not kind_name(entity.get("kind")):
        message = "kind is not [a-zA-Z][a-z0-9A-Z]*, at most 63 characters"
        yield "BACKSTAGE-FORMAT", message, ("kind",)
    meta = entity.get("metadata")
    if isinstance(meta, dict):
        yield from _name_problems(meta)
        yield from _map_problems(meta)
        yield from _list_problems(meta)


def _name_problems(meta: dict[str, Any]) -> Iterator[Problem]:
    if not object_name(meta.get("name")):
        message = f"metadata.name {meta.get('name')!r} is not {_NAME_SHAPE}"
        yield "BACKSTAGE-NAME", message, ("metadata", "name")
    if "namespace" in meta and not dns_label(meta["namespace"]):
        message = f"metadata.namespace {meta['namespace']!r} is not a DNS label"
        yield "BACKSTAGE-NAME", message, ("metadata", "namespace")


def _map_problems(meta: dict[str, Any]) -> Iterator[Problem]:
    rules = (("labels", lambda v: v == "" or object_name(v), f"empty or {_NAME_SHAPE}"),
             ("annotations", lambda v: isinstance(v, str), "a string"))
    for field, value_ok, value_shape in rules:
        values = meta.get(field)
        for key, value in (values.items() if isinstance(values, dict) else ()):
            if not qualified_key(key):
                message = f"{field} key {key!r} is not a valid prefix and/or suffix"
                yield "BACKSTAGE-FORMAT", message, ("metadata", field, key)
            elif not value_ok(value):
                message = f"{field}.{key} value {value!r} is not {value_shape}"
                yield "BACKSTAGE-FORMAT", message, ("metadata", field, key)


def _list_problems(meta: dict[str, Any]) -> Iterator[Problem]:
    tags = meta.get("tags")
    for i, value in enumerate(tags if isinstance(tags, list) else ()):
        if not tag(value):
            message = f"tag {value!r} is not sequences of [a-z0-9:+#] separated by '-', at " \
                      "most 63 characters"
            yield "BACKSTAGE-TAG", message, ("metadata", "tags", i)
    links = meta.get("links")
    for i, link in enumerate(links if isinstance(links, list) else ()):
        link = link if isinstance(link, dict) else {}
        if not url(link.get("url")):
            message = f"links[{i}].url {link.get('url')!r} is not a URL"
            yield "BACKSTAGE-LINK", message, ("metadata", "links", i)
        for part in ("title", "icon"):
            if part in link and not (isinstance(link[part], str) and link[part]):
                message = f"links[{i}].{part} must be a non-empty string"
                yield "BACKSTAGE-LINK", message, ("metadata", "links", i, part)
