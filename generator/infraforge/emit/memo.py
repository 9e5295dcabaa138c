"""Emitted documents remembered across runs, keyed by a hash of each document's pickled form.

The shared files (each environment's AppProjects and ApplicationSets, the platform layer,
Backstage) hold documents of every tenant, so a one-tenant change would otherwise re-emit
thousands of documents that did not change. Pickling plain data is an order of magnitude
cheaper than emitting it, and it is exact: equal pickles mean equal data in equal key order,
hence equal YAML (a different pickle of equal data only costs a miss). The memo lives in a
cache bucket, so it is pruned to what the last run used and dropped with the generator.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Mapping
from typing import Any

from infraforge.emit.yaml import dump_document
from infraforge.incremental.store import Bucket


class DocumentMemo:
    """`dump_documents` with a memory; without a bucket it simply emits."""

    def __init__(self, bucket: Bucket | None = None):
        self.bucket = bucket

    def dump_documents(self, objects: Iterable[Mapping[str, Any]]) -> str:
        return "---\n".join(map(self.dump_document, objects))

    def dump_document(self, obj: Mapping[str, Any]) -> str:
        if self.bucket is None:
            return dump_document(obj)
        key = hashlib.blake2b(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL),
                              digest_size=16).digest()
        text = self.bucket.get(key)
        if text is None:
            text = dump_document(obj)
            self.bucket.put(key, text)
        return text
