"""Fetch the pinned schema set from a mirror and verify every file against the lock.

Nothing is trusted: each file's size and SHA-256 must match the lock, or the sync fails and
leaves the destination as it was. Files already present with the right digest are kept, so a
repeated sync only downloads what changed. The new set is assembled in a staging folder beside
the destination and swapped in with renames.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

FETCHERS = 8
TIMEOUT = 60


@dataclass(frozen=True)
class SyncReport:
    fetched: tuple[str, ...]
    kept: tuple[str, ...]
    problems: tuple[str, ...]


def _fetch(base: str, rel: str) -> bytes:
    url = base.rstrip("/") + "/" + urllib.parse.quote(rel)
    if urllib.parse.urlsplit(url).scheme not in ("http", "https", "file"):
        raise OSError(f"unsupported URL scheme in {base!r}")
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        return response.read()


def _get(base: str, dest: Path, entry: dict) -> tuple[str, bytes | None, str | None]:
    """(how, bytes, problem): "kept" when dest already has the file, else fetched and checked."""
    rel, want = entry["path"], entry["sha256"]
    local = dest / rel
    if local.is_file() and hashlib.sha256(local.read_bytes()).hexdigest() == want:
        return "kept", local.read_bytes(), None
    try:
        raw = _fetch(base, rel)
    except OSError as exc:
        return "fetched", None, f"{rel}: cannot fetch: {exc}"
    got = hashlib.sha256(raw).hexdigest()
    if got != want or len(raw) != entry["size"]:
        problem = (f"{rel}: sha256 {got[:16]}… ({len(raw)} bytes) does not match the lock's "
                   f"{want[:16]}… ({entry['size']} bytes)")
        return "fetched", None, problem
    return "fetched", raw, None


def sync_schemas(base: str, dest: Path, lock: dict) -> SyncReport:
    with ThreadPoolExecutor(max_workers=FETCHERS) as pool:
        results = list(pool.map(lambda e: (e["path"], *_get(base, dest, e)), lock["files"]))
    problems = tuple(problem for *_, problem in results if problem)
    if not problems:
        _install(dest, {rel: raw for rel, _, raw, _ in results})
    return SyncReport(tuple(r for r, how, _, p in results if how == "fetched" and not p),
                      tuple(r for r, how, _, _ in results if how == "kept"), problems)


def _install(dest: Path, files: dict[str, bytes | None]) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    for rel, raw in files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw or b"")
    old = dest.with_name(f".{dest.name}-old")
    if dest.exists():
        os.replace(dest, old)
    os.replace(staging, dest)
    shutil.rmtree(old, ignore_errors=True)
