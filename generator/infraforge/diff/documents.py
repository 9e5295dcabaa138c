"""Rendered files as documents: split, identified and located, mostly without parsing YAML.

Both trees of a diff normally come from InfraForge's own emitter, which writes every object in
one canonical form (fixed key order, one spelling per value). Equal text then means an equal
object, so a 50k-object diff is mostly settled by comparing strings, and a document is only
parsed when a question needs its structure (a non-canonical tree, redaction, cost, preview).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML

from infraforge.diff import reader
from infraforge.lazy import cached_property
from infraforge.validate.names import RESERVED_TENANTS

YAML_SUFFIXES = (".yaml", ".yml")
ENTRYPOINTS = "appsets"  # appsets/<env>.yaml: the per-cluster entry points committed on main

_SEPARATOR = re.compile(r"^---[ \t]*\n", re.MULTILINE)
# The canonical head: apiVersion, kind, metadata, and `name` first inside metadata.
_HEAD = re.compile(r"apiVersion: ([^\n]*)\nkind: ([^\n]*)\nmetadata:\n  name: ([^\n]*)\n")
_METADATA_BLOCK = re.compile(r"(?:  [^\n]*\n|\n)*")  # the indented lines after `metadata:`
_TENANT_LABEL = re.compile(r"^    infraforge\.io/(?:for-)?tenant: ([^\n]*)$", re.MULTILINE)
_PLAIN = re.compile(r"[A-Za-z0-9_./][A-Za-z0-9 _./:@=+,%()-]*")

_loader = YAML(typ="safe", pure=False)


def parse_yaml(text: str, skip: frozenset[str] = frozenset()) -> Any:
    """One document of a rendered file as plain data: with the fast reader when the text is
    the emitter's canonical YAML, else with a full YAML loader (rendered output is trusted).
    `skip`: keys whose nested values the caller does not need (the fast reader leaves them
    out)."""
    try:
        return reader.read(text, skip)
    except reader.NotCanonical:
        return _loader.load(text)


def split_documents(data: bytes) -> list[str]:
    """A multi-document file as one text per document (empty documents dropped)."""
    text = data.decode("utf-8")
    if text.count("\n---") != text.count("\n---\n") or text.startswith("---"):
        parts = _SEPARATOR.split(text)  # separators with trailing blanks, or a leading one
    else:
        # The emitter's plain "---" lines: str.split is ~10x faster than the regex on 50 MB.
        parts = text.split("\n---\n")
        parts = [part + "\n" for part in parts[:-1]] + parts[-1:]
    return [part for part in parts if part.strip()]


@dataclass(frozen=True, order=True)
class Location:
    """Where a file sits for a reader: environment → tenant → app (ArgoCD source directory)."""

    environment: str  # "" for files outside any environment (backstage/)
    tenant: str       # "" for platform-owned directories (argocd/, the appsets/ entry points)
    app: str          # workloads, guardrails, argocd, appsets, backstage...
    directory: str    # the ArgoCD source path, e.g. prod/payments/workloads

    def label(self) -> str:
        return "/".join(part for part in (self.environment, self.tenant, self.app) if part)


@functools.lru_cache(maxsize=65536)
def locate(path: str) -> Location:
    parts = path.split("/")
    if parts[0] == ENTRYPOINTS and len(parts) == 2:
        return Location(parts[1].rsplit(".", 1)[0], "", ENTRYPOINTS, path)
    directory = "/".join(parts[:-1])
    if len(parts) == 4 and parts[1] in RESERVED_TENANTS:  # <env>/platform/<component>/
        return Location(parts[0], "", f"{parts[1]}/{parts[2]}", directory)
    if len(parts) == 4:
        return Location(parts[0], parts[1], parts[2], directory)
    if len(parts) == 3:
        return Location(parts[0], "", parts[1], directory)
    return Location("", "", parts[0] if len(parts) > 1 else "", directory)


@dataclass(frozen=True, order=True)
class Identity:
    """What an object is: its cluster (the environment) plus apiVersion, kind, namespace, name."""

    scope: str
    api_version: str
    kind: str
    namespace: str
    name: str

    def describe(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name}"


@dataclass(frozen=True)
class Document:
    """One YAML document of a rendered file."""

    file: str
    text: str

    @cached_property
    def location(self) -> Location:
        return locate(self.file)

    @cached_property
    def body(self) -> Any:
        return parse_yaml(self.text)

    @cached_property
    def identity(self) -> Identity:
        scope = self.location.environment or self.file.split("/", 1)[0]
        head = _canonical_head(self.text)
        if head is not None:
            return Identity(scope, *head)
        body = self.body if isinstance(self.body, dict) else {}
        meta = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
        return Identity(scope, str(body.get("apiVersion", "")), str(body.get("kind", "")),
                        str(meta.get("namespace") or ""), str(meta.get("name", self.text[:40])))

    @cached_property
    def tenant(self) -> str:
        """The tenant the document belongs to (its directory or its label), or "": used to
        recognise the objects of a renamed tenant."""
        if self.location.tenant:
            return self.location.tenant
        found = _TENANT_LABEL.search(self.text)
        return found.group(1) if found and _PLAIN.fullmatch(found.group(1)) else ""


def _canonical_head(text: str) -> tuple[str, str, str, str] | None:
    """apiVersion, kind, namespace, name read off the canonical text; None when it isn't."""
    head = _HEAD.match(text)
    if head is None:
        return None
    end = _METADATA_BLOCK.match(text, head.end()).end()
    at = text.find("\n  namespace: ", head.end() - 1, end)
    namespace = text[at + 14:text.index("\n", at + 1)] if at >= 0 else ""
    api_version, kind, name = head.groups()
    if not all(_PLAIN.fullmatch(value) for value in (api_version, kind, name)):
        return None  # quoted or unusual scalars: let the YAML parser decide
    if namespace and not _PLAIN.fullmatch(namespace):
        return None
    return api_version, kind, namespace, name
