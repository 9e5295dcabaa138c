"""Group fresh documents into schema-equivalence classes, so kubeconform judges one of each.

Documents with the same class key (class_key.py) get the same verdict, and rendered trees are
very repetitive: 50,437 documents of a 500-tenant tree fall into 104 classes. A file
goes through kubeconform as it is ("direct", the path without classes) when anything about it
could make kubeconform see other documents than our reader did, or judge them differently:
- our reader reported a problem (duplicate key, syntax, not a mapping, not UTF-8);
- its document markers are not plain `---` lines: kubeconform (resource/stream.go) splits on
  every "\\n---" and drops the rest of that line, and never on `...`, as our reader does;
- it is 4 MB or more (kubeconform's largest document; a longer one ends its reading early),
  does not end with a newline, or starts with a BOM or a directive;
- a document lacks a string apiVersion or kind, is a `List` (kubeconform expands its items),
  or its kind has no schema file (kubeconform reports it; the direct path words that exactly).
A document whose text or data holds a YAML typing trap (go_yaml.py) is a class of its own.
Backstage entities are not kubeconform's to judge (check.backstage is).
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infraforge.check.backstage import is_entity
from infraforge.check.class_key import class_key
from infraforge.check.class_schema import Node, root_node
from infraforge.check.documents import ParsedFile
from infraforge.check.go_yaml import text_traps
from infraforge.check.objects import RenderedObject
from infraforge.check.schema_store import SchemaStore, render_location, template_variables

_MAX_FILE = 4 * 1024 * 1024
_ODD_REST = re.compile(rb"---[ \t]*[^\s#]")  # a marker line with more than a comment after it
_DRAFT_4 = "http://json-schema.org/draft-04/schema#"
NO_SCHEMA = object()


@dataclass(frozen=True)
class Classes:
    """`samples[c]` is the first document of class c (its file and the object), `members[c]`
    the files holding its documents; `direct` the files kubeconform must see whole."""

    samples: list[tuple[ParsedFile, RenderedObject]]
    members: list[set[str]]
    direct: list[ParsedFile]
    documents: int


class SchemaRoots:
    """The root node of each kind's schema: the file kubeconform will use, read once."""

    def __init__(self, store: SchemaStore):
        self.store = store
        self._roots: dict[tuple[str, str], Any] = {}

    def root(self, api_version: str, kind: str) -> Node | object | None:
        found = self._roots.get((api_version, kind), self)
        if found is self:
            found = self._roots[api_version, kind] = self._load(api_version, kind)
        return found

    def _load(self, api_version: str, kind: str) -> Node | object | None:
        variables = template_variables(api_version, kind, self.store.k8s_version)
        paths = [path for template in self.store.locations
                 if (path := Path(render_location(template, variables)
                                  .removeprefix("file://"))).is_file()]
        if not paths:
            return NO_SCHEMA
        try:
            schema = json.loads(paths[0].read_bytes())
        except (OSError, ValueError):
            return NO_SCHEMA
        # kubeconform moves to the next location when a file does not compile: keys are
        # then exact (no blanking), as they are under another draft than kubeconform's 4
        if len(paths) > 1 or not isinstance(schema, dict) \
                or schema.get("$schema", _DRAFT_4) != _DRAFT_4:
            return None
        return root_node(schema)


def plan_classes(parsed: list[ParsedFile], roots: SchemaRoots) -> Classes:
    ids: dict[Any, int] = {}
    plan = Classes([], [], [], 0)
    documents = 0
    for item in parsed:
        keyed = _keyed_documents(item, roots)
        if keyed is None:
            plan.direct.append(item)
            continue
        documents += len(keyed)
        for obj, key in keyed:
            found = ids.get(key)
            if found is None:
                found = ids[key] = len(plan.members)
                plan.samples.append((item, obj))
                plan.members.append(set())
            plan.members[found].add(item.file.display)
    return dataclasses.replace(plan, documents=documents)


def _keyed_documents(parsed: ParsedFile, roots: SchemaRoots) -> list[tuple] | None:
    """(object, class key) for each Kubernetes document, or None to send the file direct."""
    raw = parsed.file.raw
    if parsed.diagnostics or len(raw) >= _MAX_FILE or not raw.endswith(b"\n") \
            or raw[:1] in (b"%", b"\xef", b".") or not plain_markers(raw):
        return None
    trapped = _trapped_documents(parsed)
    keyed = []
    for obj in parsed.objects:
        if is_entity(obj):
            continue
        api_version, kind = obj.body.get("apiVersion"), obj.body.get("kind")
        if type(api_version) is not str or type(kind) is not str or not api_version \
                or not kind or kind.lower() == "list":
            return None
        root = roots.root(api_version, kind)
        if root is NO_SCHEMA:
            return None
        key = None if obj.index in trapped else class_key(obj.body, root)
        keyed.append((obj, (parsed.file.display, obj.index) if key is None else key))
    return keyed


def plain_markers(raw: bytes) -> bool:
    """Whether every document marker is a `---` line (a comment may follow), so kubeconform
    and our reader split the file alike. Found by literal search: a regex would try every
    byte of a large tree."""
    if b"\n..." in raw or _ODD_REST.match(raw):
        return False
    at = raw.find(b"\n---")
    while at >= 0:
        if _ODD_REST.match(raw, at + 1):
            return False
        at = raw.find(b"\n---", at + 4)
    return True


def _trapped_documents(parsed: ParsedFile) -> set[int]:
    """The documents whose text may hold a typing trap (go_yaml.text_traps)."""
    found = set()
    traps = list(text_traps(parsed.file.raw.decode("utf-8")))
    if traps:
        spans = sorted((start, index) for index, (start, _, _) in parsed.spans.items())
        starts = [start for start, _ in spans]
        for at in traps:  # a trap just before a document's start may be its own: take both
            for where in (at, at + 1):
                found.add(spans[max(bisect.bisect_right(starts, where) - 1, 0)][1])
    return found
