"""Emitted documents remembered across runs, keyed by a hash of each document's marshalled form.

The shared files (each environment's ApplicationSets and platform layer, the entry points,
the tfvars) hold documents of every tenant, so a one-tenant change would otherwise re-emit
thousands of documents that did not change. Marshalling plain data is an order of magnitude
cheaper than emitting it (and a third cheaper than pickling it, measured on these documents),
and it is exact: marshal writes every value with its type, so equal bytes mean equal data in
equal key order, hence equal YAML (a different encoding of equal data only costs a miss). The
memo lives in a cache bucket, so it is pruned to what the last run used and dropped with the
generator.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from infraforge.emit.yaml import dump_document
from infraforge.incremental.store import Bucket

# Format 2: versions 3 and up flag objects by their reference count, so equal data built
# differently (a copy, a document held by one list more) would marshal differently and miss.
_PLAIN = 2


class DocumentMemo:
    """`dump_documents` with a memory; without a bucket it simply emits."""

    def __init__(self, bucket: Bucket | None = None):
        self.bucket = bucket

    def dump_documents(self, objects: Iterable[Mapping[str, Any]]) -> str:
        return "---\n".join(map(self.dump_document, objects))

    def dump_document(self, obj: Mapping[str, Any]) -> str:
        return self.dumped(obj, dump_document)

    def dumped(self, obj: Any, dump: Callable[[Any], str]) -> str:
        """`dump(obj)` remembered under `obj`'s marshalled form; `dump`'s name keeps the texts
        of different dumpers apart (JSON with an indent, for one, is written by the json
        module's pure-Python encoder: 35 ms for a 1,000-tenant platform's tfvars)."""
        if self.bucket is None:
            return dump(obj)
        try:
            encoded = marshal.dumps(obj, _PLAIN)
        except ValueError:  # not plain data (marshal knows only the builtin types): no memo
            return dump(obj)
        key = _key(encoded, dump.__name__)
        text = self.bucket.get(key)
        if text is None:
            text = dump(obj)
            self.bucket.put(key, text)
        return text


def _key(content: bytes, kind: str) -> bytes:
    return hashlib.blake2b(content, digest_size=16, person=kind.encode()[:16]).digest()
