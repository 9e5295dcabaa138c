"""What assembling a file needs to know of a rendered object: its key, its source file, its
place in the file's order and, for objects that go into shared files, its emitted text.

A shared file (an environment's argocd/ manifest, a platform component's directory) holds
objects of every tenant. Each unit contributes its own already emitted (`Emitted`), so a
cached unit adds to the shared files without its objects being rebuilt, keyed or emitted
again: at 1,000 tenants that was 12,600 documents marshalled and hashed for the emission memo
on every run (0.1 s, measured), and emitted in the main process on a cold one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any, NamedTuple

from infraforge.emit.yaml import dump_document
from infraforge.render.meta import SOURCE_ANNOTATION

# Namespaces first, then the guardrails, then everything else; by kind, then name.
_KIND_RANK = {"Namespace": 0, "ResourceQuota": 1, "LimitRange": 2, "NetworkPolicy": 3,
              "RoleBinding": 4, "ServiceAccount": 5}

# "apiVersion\0kind\0namespace\0name": what must be unique within one cluster. NUL never occurs
# in a Kubernetes name, a newline neither, so a unit keeps its objects' keys as lines of one
# string: cheap to cache, to send back from a worker and to compare as a set.
ObjectKey = str
SortKey = tuple[int, str, str, str, str]


def object_key(item: dict[str, Any]) -> ObjectKey:
    meta = item["metadata"]
    return f"{item['apiVersion']}\0{item['kind']}\0{meta.get('namespace', '')}\0{meta['name']}"


def object_source(item: dict[str, Any]) -> str:
    return item["metadata"].get("annotations", {}).get(SOURCE_ANNOTATION, "")


def object_sort_key(item: dict[str, Any]) -> SortKey:
    meta = item["metadata"]
    return (_KIND_RANK.get(item["kind"], 9), item["kind"], item["apiVersion"],
            meta.get("namespace", ""), meta["name"])


def sort_objects(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(objects, key=object_sort_key)


class Emitted(NamedTuple):
    """An object as a shared file needs it: where it sorts, its key and source, its YAML."""

    sort_key: SortKey
    key: ObjectKey
    source: str
    text: str

    @property
    def kind(self) -> str:
        return self.sort_key[1]

    @property
    def namespace(self) -> str:
        return self.sort_key[3]

    @property
    def name(self) -> str:
        return self.sort_key[4]


def emit(item: dict[str, Any], dump: Callable[[dict[str, Any]], str] = dump_document) -> Emitted:
    return Emitted(object_sort_key(item), object_key(item), object_source(item), dump(item))


def join_emitted(items: Iterable[Emitted]) -> str:
    """The documents in file order, as one multi-document stream."""
    return "---\n".join(item.text for item in sorted(items, key=itemgetter(0)))
