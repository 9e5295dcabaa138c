"""Write a rendered tree into an output root: atomic, minimal, and only over what we manage.

1. Compare every new file with the bytes on disk; unchanged files are not touched.
2. Stage changed files in `<root>/.infraforge-staging/` and only then write a journal
   (`COMMIT`) listing the moves and deletions. An error or a kill before the journal leaves the
   previous tree byte-identical; the staging folder is discarded on the next run.
3. Apply: rename staged files into place, delete files of ours that are no longer rendered,
   record the new file list in `.infraforge-managed`. A run killed while applying is finished
   (rolled forward from the journal) by the next run, before anything else happens.

Files InfraForge did not write (a `.git/`, a hand-written README, other folders) are never read,
changed or deleted: only paths listed in `.infraforge-managed` are ever pruned.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from infraforge.errors import CatalogError, Diagnostic, Position
from infraforge.incremental.fingerprint import content_digest
from infraforge.write.lock import locked

MANAGED_LIST = ".infraforge-managed"
STAGING = ".infraforge-staging"
JOURNAL = "COMMIT"
LOCK = ".infraforge.lock"


@dataclass(frozen=True)
class WritePlan:
    """What a write would change; empty when the tree on disk is already up to date."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    @property
    def written(self) -> tuple[str, ...]:
        return self.added + self.changed


def plan_write(root: Path, files: Mapping[str, bytes],
               index: Mapping[str, Sequence] | None = None) -> WritePlan:
    """Compare `files` with `root` without writing anything (`render --check` uses this).

    `index` (path → size, mtime_ns, sha256 as last written) spares reading a file whose stat
    shows it untouched since: its bytes are the ones whose hash was recorded.
    """
    added, changed = [], []
    base = str(root)  # plain strings: pathlib's joins cost more than the stat at this scale
    for path, content in files.items():
        if not is_safe_relative(path):
            raise ValueError(f"refusing to write outside the output root: {path!r}")
        target = f"{base}/{path}"
        same = _same_as_written(target, content, index.get(path) if index else None)
        if same is None:
            current = _read(target)
            if current is None:
                added.append(path)
                continue
            same = current == content
        if not same:
            changed.append(path)
    previous = _managed(root)
    removed = sorted(p for p in previous if p not in files and (root / p).is_file())
    return WritePlan(tuple(added), tuple(changed), tuple(removed))


def _same_as_written(path: str, content: bytes, stamp: Sequence | None) -> bool | None:
    """True/False when the index settles it, None when the file must be read."""
    if not stamp:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    if (info.st_size, info.st_mtime_ns) != (stamp[0], stamp[1]):
        return None
    return content_digest(content) == stamp[2]


def write_tree(root: Path, files: Mapping[str, bytes],
               index: Mapping[str, Sequence] | None = None) -> WritePlan:
    """Bring `root` to exactly `files` (for the paths we manage); returns what changed."""
    if not root.exists():
        return _write_fresh(root, files)
    with locked(root / LOCK):
        recover(root)
        plan = plan_write(root, files, index)
        managed_changed = set(_managed(root)) != set(files)
        if plan.is_empty and not managed_changed:
            return plan
        staging = root / STAGING
        try:
            _stage(staging, {p: files[p] for p in plan.written},
                   sorted(files) if managed_changed else None)
            _write_journal(staging, plan)
        except OSError as exc:
            # nothing is committed yet: the previous tree is untouched
            shutil.rmtree(staging, ignore_errors=True)
            raise _write_error(root, exc) from exc
        _apply(root, staging)
    return plan


def _write_fresh(root: Path, files: Mapping[str, bytes]) -> WritePlan:
    """No previous tree: build it beside the root and rename it into place in one step."""
    plan = WritePlan(tuple(files), (), ())
    for path in files:
        if not is_safe_relative(path):
            raise ValueError(f"refusing to write outside the output root: {path!r}")
    root.parent.mkdir(parents=True, exist_ok=True)
    building = root.with_name(f".{root.name}.infraforge-new-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    try:
        _write_files(building, files)
        (building / MANAGED_LIST).write_text(json.dumps(sorted(files), indent=0) + "\n")
        os.rename(building, root)  # fails if another render created root meanwhile: no clobber
    except OSError as exc:
        shutil.rmtree(building, ignore_errors=True)
        raise _write_error(root, exc) from exc
    return plan


def _write_files(base: Path, files: Mapping[str, bytes]) -> None:
    base.mkdir(parents=True, exist_ok=True)
    made: set[str] = set()  # mkdir is the costliest call here: once per folder, not per file
    for path, content in files.items():
        folder = path.rpartition("/")[0]
        if folder and folder not in made:
            (base / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        _write_file(base / path, content)


def _write_file(target: Path, content: bytes) -> None:
    with open(target, "wb") as handle:
        handle.write(content)


def _write_error(root: Path, exc: OSError) -> CatalogError:
    return CatalogError([Diagnostic(
        "OUTPUT-WRITE", f"could not write the new tree: {exc.strerror or exc}",
        Position(str(root)), "the previous tree is unchanged; fix the cause and re-run")])


def recover(root: Path) -> None:
    """Finish a write whose journal exists; throw away one that never reached its journal."""
    staging = root / STAGING
    if not staging.exists():
        return
    if (staging / JOURNAL).is_file():
        _apply(root, staging)
    else:
        shutil.rmtree(staging)


def _stage(staging: Path, changed: Mapping[str, bytes], all_paths: list[str] | None) -> None:
    """Write changed files (and the managed list, if the set of paths changed) to staging."""
    if staging.exists():
        shutil.rmtree(staging)
    _write_files(staging / "files", changed)
    if all_paths is not None:
        (staging / MANAGED_LIST).write_text(json.dumps(all_paths, indent=0) + "\n")


def _write_journal(staging: Path, plan: WritePlan) -> None:
    journal = {"moves": list(plan.written), "deletes": list(plan.removed)}
    temporary = staging / (JOURNAL + ".tmp")
    with temporary.open("w") as handle:
        json.dump(journal, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, staging / JOURNAL)  # the commit point


def _apply(root: Path, staging: Path) -> None:
    journal = json.loads((staging / JOURNAL).read_text())
    made: set[Path] = set()
    for path in journal["moves"]:
        source, target = staging / "files" / path, root / path
        if source.exists():  # absent when a previous, interrupted apply already moved it
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            os.replace(source, target)
    for path in journal["deletes"]:
        (root / path).unlink(missing_ok=True)
        _remove_empty_parents(root, (root / path).parent)
    if (staging / MANAGED_LIST).exists():
        os.replace(staging / MANAGED_LIST, root / MANAGED_LIST)
    shutil.rmtree(staging)


def _remove_empty_parents(root: Path, folder: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _managed(root: Path) -> list[str]:
    try:
        listed = json.loads((root / MANAGED_LIST).read_text())
    except (OSError, ValueError):
        return []
    # The list lives in the output tree, which others can edit: never let it point outside.
    return [p for p in listed if isinstance(p, str) and is_safe_relative(p)]


def is_safe_relative(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and "\\" not in path and all(
        part not in ("", ".", "..") and "\x00" not in part for part in parts)


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
