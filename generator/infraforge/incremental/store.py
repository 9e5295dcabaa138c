"""The on-disk cache: one pickle per kind of entry, written atomically, pruned to what is used.

Pickle is safe here because the cache is the user's own local state, never shared input; a
cache that does not load (corrupt, foreign, older generator) is simply ignored.
"""

from __future__ import annotations

import gc
import os
import pickle
from pathlib import Path
from typing import Any

from infraforge.incremental.fingerprint import generator_fingerprint

CACHE_DIR = ".infraforge-cache"


class Bucket:
    """A dict-like cache of one kind (`documents`, `rules`, `units`), tracking what was used."""

    def __init__(self, store: CacheStore, name: str):
        self.store, self.name = store, name
        self._entries: dict[Any, Any] = store.read(name)
        self._used: dict[Any, Any] = {}

    def get(self, key: Any) -> Any:
        value = self._entries.get(key)
        if value is not None:
            self._used[key] = value
        return value

    def put(self, key: Any, value: Any) -> None:
        self._used[key] = value

    @property
    def changed(self) -> bool:
        return self._used.keys() != self._entries.keys()

    def save(self) -> None:
        if self.changed:
            self.store.write(self.name, self._used)  # only what this run used survives


class CacheStore:
    def __init__(self, project: Path, enabled: bool = True):
        self.directory = project / CACHE_DIR / "compile"
        self.enabled = enabled
        self.key = generator_fingerprint() if enabled else ""

    def bucket(self, name: str) -> Bucket:
        return Bucket(self, name)

    def read(self, name: str) -> dict[Any, Any]:
        if not self.enabled:
            return {}
        try:
            with open(self.directory / f"{name}.pickle", "rb") as handle:
                paused = gc.isenabled()
                gc.disable()  # unpickling many small objects; collection passes only slow it
                try:
                    key, entries = pickle.load(handle)
                finally:
                    if paused:
                        gc.enable()
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
