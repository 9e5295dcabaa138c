"""What a write would change, found without writing: compare a rendered tree with the disk.

A file whose stat still matches the stamp recorded when it was written is compared by hash
(its bytes on disk are the ones that hash came from); any other file is read and compared byte
for byte. The unchanged files' stamps come out of the same stat, so the render state records
them without looking at the tree again.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from infraforge.write.files import FileStamp, file_digest, known_digests, stamp_of

MANAGED_LIST = ".infraforge-managed"
# one relative path: segments that are not empty, "." or "..", with no backslash or NUL
_SEGMENT = r"(?!\.\.?(?:/|\Z))[^/\\\x00]+"
_SAFE_RELATIVE = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")


@dataclass(frozen=True)
class WritePlan:
    """What a write would change; empty when the tree on disk is already up to date."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    relist: bool = field(default=False, compare=False)  # the managed list must be rewritten
    # size, mtime_ns, sha256 of the files known to hold their new bytes: the unchanged ones
    # after plan_write, every file after write_tree
    stamps: Mapping[str, FileStamp] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    @property
    def written(self) -> tuple[str, ...]:
        return self.added + self.changed


def plan_write(root: Path, files: Mapping[str, bytes],
               index: Mapping[str, Sequence] | None = None,
               moved: AbstractSet[str] | None = None) -> WritePlan:
    """Compare `files` with `root` without writing anything (`render --check` uses this).

    `index` (path → size, mtime_ns, sha256 as last written) spares reading files untouched since.
    `moved`: the index's files a survey just found moved (RenderState.moved_outputs); the rest it
    found as recorded, so they are not stat'ed again. None: no survey, each file is stat'ed.
    """
    listed = read_managed(root)
    check_paths(files, known=set(listed))
    base, index = str(root), index or {}
    added, changed, stamps = [], [], {}
    # One thread: a stat and a hash per file are too short to pay for passing the GIL around
    # (measured: two threads burn 1.7x the CPU time for no gain in wall time).
    known = known_digests(files)
    for path in files:
        surveyed = moved is not None and path not in moved
        verdict, stamp = _compare(f"{base}/{path}", files, path, index.get(path), known(path),
                                  surveyed)
        if stamp is not None:
            stamps[path] = stamp
        else:
            (added if verdict == "added" else changed).append(path)
    removed = sorted(p for p in listed if p not in files and os.path.isfile(f"{base}/{p}"))
    return WritePlan(tuple(added), tuple(changed), tuple(removed),
                     relist=set(listed) != files.keys(), stamps=stamps)


def _compare(target: str, files: Mapping[str, bytes], path: str, recorded: Sequence | None,
             digest: str | None, surveyed: bool) -> tuple[str, FileStamp | None]:
    """("same", its stamp), ("changed", None) or ("added", None) for one file.

    A file whose stat matches its stamp holds the bytes the stamp's digest came from, so a
    known `digest` of the new bytes settles it without them (a cached unit's bytes are then
    never read); otherwise they are hashed, or compared with the file's own bytes. `surveyed`:
    a survey just found its stat as recorded, so it is not stat'ed again.
    """
    if recorded:
        size, mtime = recorded[:2] if surveyed else _stat(target)
        if mtime == recorded[1] and size == recorded[0]:
            if digest is None:
                content = files[path]
                if len(content) != size:
                    return "changed", None
                digest = file_digest(content)
            same = digest == recorded[2]
            return ("same", (size, mtime, digest)) if same else ("changed", None)
    current, info = _read(target)
    if current is None:
        return "added", None
    content = files[path]
    return ("same", stamp_of(info, content, digest)) if current == content else ("changed", None)


def _stat(path: str) -> tuple[int, int] | tuple[None, None]:
    try:
        info = os.stat(path)
    except OSError:
        return None, None  # gone or unreadable: reading it says which
    return info.st_size, info.st_mtime_ns


def _read(path: str) -> tuple[bytes | None, os.stat_result | None]:
    try:
        with open(path, "rb") as handle:
            return handle.read(), os.fstat(handle.fileno())
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None, None


def read_managed(root: Path) -> list[str]:
    """The paths the last write recorded as ours, read once per write."""
    try:
        listed = json.loads((root / MANAGED_LIST).read_bytes())
    except (OSError, ValueError):
        return []
    if not isinstance(listed, list):
        return []
    # The list lives in the output tree, which others can edit: never let it point outside.
    safe = _SAFE_RELATIVE.fullmatch
    return [p for p in listed if isinstance(p, str) and safe(p) is not None]


def managed_list_bytes(paths: list[str]) -> bytes:
    return (json.dumps(paths, indent=0) + "\n").encode()


def check_paths(files: Mapping[str, bytes], known: AbstractSet[str] = frozenset()) -> None:
    """Refuse a path that could leave the root; `known` ones were checked already."""
    safe = _SAFE_RELATIVE.fullmatch
    for path in files:
        if path not in known and safe(path) is None:
            raise ValueError(f"refusing to write outside the output root: {path!r}")


def is_safe_relative(path: str) -> bool:
    return _SAFE_RELATIVE.fullmatch(path) is not None
