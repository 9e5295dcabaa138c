"""Staging and the journal: the commit point that makes a write over an existing tree atomic.

Changed files are staged flat, as `<root>/.infraforge-staging/<n>` for the n-th path of the
journal's moves: no folder is made or removed per changed file (on disks mounted with online
discard, removing a folder waits for the device). The journal is written last; with it, the
write is committed and any later run finishes it (roll forward), without it the staging folder
is thrown away.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from functools import partial
from pathlib import Path

from infraforge.write.files import FileStamp, Renamed, WriteFile, create_files
from infraforge.write.plan import MANAGED_LIST, WritePlan, is_safe_relative, managed_list_bytes
from infraforge.write.threads import WAITING_THREADS, chunked, in_threads

STAGING = ".infraforge-staging"
JOURNAL = "COMMIT"


def stage(staging: Path, plan: WritePlan, files: Mapping[str, bytes],
          write_file: WriteFile) -> dict[str, FileStamp]:
    """Write the plan's new and changed files (and the managed list, if the set of paths
    changed) to staging; returns the stamps they will keep once renamed into place."""
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    written = plan.written
    staged = create_files(str(staging), Renamed(files, {str(n): p for n, p in enumerate(written)}),
                          write_file)
    if plan.relist:
        (staging / MANAGED_LIST).write_bytes(managed_list_bytes(sorted(files)))
    return {written[int(name)]: stamp for name, stamp in staged.items()}


def commit(staging: Path, plan: WritePlan) -> None:
    journal = {"moves": list(plan.written), "deletes": list(plan.removed), "flat": True}
    temporary = staging / (JOURNAL + ".tmp")
    with temporary.open("w") as handle:
        json.dump(journal, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, staging / JOURNAL)  # the commit point


def apply(root: Path, staging: Path) -> None:
    """Move staged files into place, prune, install the managed list; safe to run again."""
    journal = json.loads((staging / JOURNAL).read_text())
    flat = journal.get("flat", False)  # journals of older versions staged files under their path
    moves = [(f"{staging}/{number}" if flat else f"{staging}/files/{path}", path)
             for number, path in enumerate(journal["moves"]) if is_safe_relative(path)]
    # Renaming over a file frees the old one's blocks, which waits on the device (online
    # discard): more threads than cores overlap those waits.
    in_threads(partial(_move, str(root)), chunked(moves), threads=WAITING_THREADS)
    # only once every move is done: pruning removes folders it leaves empty
    for path in filter(is_safe_relative, journal["deletes"]):
        (root / path).unlink(missing_ok=True)
        _remove_empty_parents(root, (root / path).parent)
    if (staging / MANAGED_LIST).exists():
        os.replace(staging / MANAGED_LIST, root / MANAGED_LIST)
    shutil.rmtree(staging)


def _move(base: str, moves: list[tuple[str, str]]) -> None:
    # Most moves replace a file in a folder that exists: one rename each. Only a failed rename
    # asks why (three more system calls per file and folder otherwise: 1,000 changed units are
    # 4,000 files in 2,000 folders).
    for source, path in moves:
        target = f"{base}/{path}"
        try:
            os.replace(source, target)
        except FileNotFoundError:
            if not os.path.exists(source):
                continue  # moved by an earlier apply that was interrupted
            os.makedirs(target.rpartition("/")[0], exist_ok=True)  # a folder new to the tree
            os.replace(source, target)


def _remove_empty_parents(root: Path, folder: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
