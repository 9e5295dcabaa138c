"""The on-disk cache: one pickle per kind of entry, written atomically, pruned to what is used.

Pickle is safe here because the cache is the user's own local state, never shared input; a
cache that does not load (corrupt, foreign, older generator) is simply ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from infraforge.incremental.collector import paused_collector
from infraforge.incremental.fingerprint import generator_fingerprint

CACHE_DIR = ".infraforge-cache"


def _shard_of(key: Any, shards: int) -> int:
    if shards == 1:
        return 0
    # Python's hash() of a str changes with every process; shards must not
    return int.from_bytes(hashlib.sha256(repr(key).encode()).digest()[:4], "big") % shards


def _shard_file(name: str, shards: int, shard: int) -> str:
    return name if shards == 1 else f"{name}-{shard:02d}"


class Bucket:
    """A dict-like cache of one kind (`documents`, `rules`, `units`), tracking what was used.

    Entries are spread over `shards` files by key, so a run that changes a few entries of a
    large bucket (rendered units: tens of megabytes) rewrites only the shards they fall in.
    """

    def __init__(self, store: CacheStore, name: str, shards: int = 1):
        self.store, self.name, self.shards = store, name, shards
        self._entries: dict[Any, Any] = {}
        # where each entry was read from: saving need not hash every key to find its shard
        self._home: dict[Any, int] = {}
        for shard in range(shards):
            entries = store.read(_shard_file(name, shards, shard))
            self._entries.update(entries)
            self._home.update(dict.fromkeys(entries, shard))
        self._used: dict[Any, Any] = {}

    def get(self, key: Any) -> Any:
        value = self._entries.get(key)
        if value is not None:
            self._used[key] = value
        return value

    def put(self, key: Any, value: Any) -> None:
        self._used[key] = value

    @property
    def unused(self) -> set[Any]:
        """Keys read from disk that this run did not use: dead entries."""
        return self._entries.keys() - self._used.keys()

    @property
    def used(self) -> AbstractSet[Any]:
        return self._used.keys()

    @property
    def changed(self) -> bool:
        return self._used.keys() != self._entries.keys()

    def save(self) -> None:
        """Write the shards whose entries changed; only what this run used survives."""
        if not self.changed:
            return
        used: list[dict[Any, Any]] = [{} for _ in range(self.shards)]
        known: list[set[Any]] = [set() for _ in range(self.shards)]
        home = self._home.get
        for key, value in self._used.items():
            shard = home(key)
            used[_shard_of(key, self.shards) if shard is None else shard][key] = value
        for key, shard in self._home.items():
            known[shard].add(key)
        for shard in range(self.shards):
            if used[shard].keys() != known[shard]:
                self.store.write(_shard_file(self.name, self.shards, shard), used[shard])


class LazyBucket:
    """Entries too big to load on every run (rendered units' bytes): a shard is read the first
    time one of its keys is asked for, so a run that needs a few units reads a few shards.

    Another bucket knows which keys are still live (the units' summaries), so `save` is told:
    only shards that gained an entry or hold a dead one are read and rewritten.
    """

    def __init__(self, store: CacheStore, name: str, shards: int):
        self.store, self.name, self.shards = store, name, shards
        self._shards: dict[int, dict[Any, Any]] = {}
        self._new: dict[Any, Any] = {}

    def _entries(self, shard: int) -> dict[Any, Any]:
        if shard not in self._shards:
            self._shards[shard] = self.store.read(_shard_file(self.name, self.shards, shard))
        return self._shards[shard]

    def get(self, key: Any) -> Any:
        if key in self._new:
            return self._new[key]
        return self._entries(_shard_of(key, self.shards)).get(key)

    def put(self, key: Any, value: Any) -> None:
        self._new[key] = value

    def save(self, live: AbstractSet[Any], dead: Iterable[Any]) -> None:
        """Rewrite the shards that gained an entry or hold a `dead` key, keeping `live` ones."""
        new: dict[int, dict[Any, Any]] = {}
        for key, value in self._new.items():
            new.setdefault(_shard_of(key, self.shards), {})[key] = value
        touched = new.keys() | {_shard_of(key, self.shards) for key in dead}
        for shard in sorted(touched):
            entries = {key: value for key, value in self._entries(shard).items() if key in live}
            entries.update(new.get(shard, {}))
            self.store.write(_shard_file(self.name, self.shards, shard), entries)


class CacheStore:
    """A folder of pickles, one per bucket shard, valid for this generator only."""

    def __init__(self, directory: Path, enabled: bool = True):
        self.directory = directory
        self.enabled = enabled
        self.key = generator_fingerprint() if enabled else ""

    @classmethod
    def for_project(cls, project: Path, enabled: bool = True) -> CacheStore:
        """The compile cache of a project."""
        return cls(project / CACHE_DIR / "compile", enabled)

    def bucket(self, name: str, shards: int = 1) -> Bucket:
        return Bucket(self, name, shards)

    def lazy_bucket(self, name: str, shards: int) -> LazyBucket:
        return LazyBucket(self, name, shards)

    def read(self, name: str) -> dict[Any, Any]:
        if not self.enabled:
            return {}
        try:
            # unpickling many small objects: collection passes would only slow it
            with open(self.directory / f"{name}.pickle", "rb") as handle, paused_collector():
                key, entries = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError,
                AttributeError, ImportError):
            return {}
        return entries if key == self.key and isinstance(entries, dict) else {}

    def write(self, name: str, entries: dict[Any, Any]) -> None:
        if not self.enabled:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            temporary = self.directory / f".{name}.{os.getpid()}.tmp"
            with open(temporary, "wb") as handle:
                pickle.dump((self.key, entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.directory / f"{name}.pickle")
        except OSError:
            pass  # a cache that cannot be written only costs speed next time
