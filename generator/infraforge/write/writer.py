"""Write a rendered tree into an output root: atomic, minimal, and only over what we manage.

1. Compare every new file with the bytes on disk (write/plan.py); unchanged files are not touched.
2. Stage changed files in `<root>/.infraforge-staging/` and only then write a journal
   (`COMMIT`) listing the moves and deletions (write/journal.py). An error or a kill before the
   journal leaves the previous tree byte-identical; the staging folder is discarded next run.
3. Apply: rename staged files into place, delete files of ours that are no longer rendered,
   record the new file list in `.infraforge-managed`. A run killed while applying is finished
   (rolled forward from the journal) by the next run, before anything else happens.

Without a previous tree, the new one is built beside the root and renamed into place at once.
Files InfraForge did not write (a `.git/`, a hand-written README, other folders) are never read,
changed or deleted: only paths listed in `.infraforge-managed` are ever pruned. Files are created
on a few threads (write/files.py); all of them have stopped before an error is reported.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from pathlib import Path

from infraforge.errors import CatalogError, Diagnostic, Position
from infraforge.incremental.collector import paused_collector
from infraforge.write import journal
from infraforge.write.files import create_files, write_file
from infraforge.write.journal import JOURNAL, STAGING
from infraforge.write.lock import locked
from infraforge.write.plan import (
    MANAGED_LIST,
    WritePlan,
    check_paths,
    is_safe_relative,
    managed_list_bytes,
    plan_write,
)

__all__ = ["JOURNAL", "LOCK", "MANAGED_LIST", "STAGING", "WritePlan", "is_safe_relative",
           "plan_write", "recover", "write_tree"]

LOCK = ".infraforge.lock"
# the two steps a test makes fail; looked up at each call
_write_file = write_file
_apply = journal.apply


def write_tree(root: Path, files: Mapping[str, bytes],
               index: Mapping[str, Sequence] | None = None,
               moved: AbstractSet[str] | None = None) -> WritePlan:
    """Bring `root` to exactly `files` (for the paths we manage); returns what changed, with
    every file's stamp as it now is on disk. Its many small tuples would otherwise set off
    collection passes over everything the compile left in memory (0.1-0.2 s each at 1,000
    tenants). `index` and `moved` are as for plan_write."""
    with paused_collector():
        return _write_tree(root, files, index, moved)


def _write_tree(root: Path, files: Mapping[str, bytes], index: Mapping[str, Sequence] | None,
                moved: AbstractSet[str] | None) -> WritePlan:
    if not root.exists():
        return _write_fresh(root, files)
    with locked(root / LOCK):
        _finish_committed(root)  # a write a killed run committed comes first
        plan = plan_write(root, files, index, moved)
        if plan.is_empty and not plan.relist:
            return plan
        staging = root / STAGING
        try:
            written = journal.stage(staging, plan, files, _write_file)
            journal.commit(staging, plan)
        except OSError as exc:
            # nothing is committed yet: the previous tree is untouched
            shutil.rmtree(staging, ignore_errors=True)
            raise _write_error(root, exc) from exc
        _finish_committed(root)  # a rename keeps a staged file's size and mtime: stamps hold
    return replace(plan, stamps={**plan.stamps, **written})


def _finish_committed(root: Path) -> None:
    try:
        recover(root)
    except OSError as exc:
        raise _write_error(root, exc, committed=True) from exc


def recover(root: Path) -> None:
    """Finish a write whose journal exists; throw away one that never reached its journal."""
    staging = root / STAGING
    if not staging.exists():
        return
    if (staging / JOURNAL).is_file():
        _apply(root, staging)
    else:
        shutil.rmtree(staging)


def _write_fresh(root: Path, files: Mapping[str, bytes]) -> WritePlan:
    """No previous tree: build it beside the root and rename it into place in one step."""
    check_paths(files)
    root.parent.mkdir(parents=True, exist_ok=True)
    building = root.with_name(f".{root.name}.infraforge-new-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    try:
        building.mkdir()
        stamps = create_files(str(building), files, _write_file)
        (building / MANAGED_LIST).write_bytes(managed_list_bytes(sorted(files)))
        os.rename(building, root)  # fails if another render created root meanwhile: no clobber
    except OSError as exc:
        raise _write_error(root, exc) from exc
    finally:
        shutil.rmtree(building, ignore_errors=True)  # only a failed or interrupted build is left
    return WritePlan(tuple(files), (), (), relist=True, stamps=stamps)


def _write_error(root: Path, exc: OSError, committed: bool = False) -> CatalogError:
    hint = ("the new tree is committed but not all in place; fix the cause and re-run to "
            "finish it" if committed else "the previous tree is unchanged; fix the cause and re-run")
    return CatalogError([Diagnostic(
        "OUTPUT-WRITE", f"could not write the new tree: {exc.strerror or exc}",
        Position(str(root)), hint)])
