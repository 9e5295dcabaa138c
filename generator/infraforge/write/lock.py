"""An exclusive lock on an output root, so two renders never interleave their writes."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from infraforge.errors import CatalogError, Diagnostic, Position


class LockedError(CatalogError):
    pass


@contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    _acquire(lock_path)
    try:
        yield
    finally:
        lock_path.unlink(missing_ok=True)


def _acquire(lock_path: Path) -> None:
    owner = {"pid": os.getpid(), "host": socket.gethostname()}
    for _ in range(2):
        try:
            fd = os.open(lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError as exc:
            holder = _holder(lock_path)
            if _is_stale(holder):
                lock_path.unlink(missing_ok=True)  # its process is gone: take over
                continue
            raise LockedError([Diagnostic(
                "OUTPUT-LOCKED", f"{lock_path.parent} is being written by pid "
                f"{holder.get('pid')} on {holder.get('host')}", Position(str(lock_path)),
                "wait for the other render to finish; if none runs, delete the lock file")]) from exc
        with os.fdopen(fd, "w") as handle:
            json.dump(owner, handle)
        return


def _holder(lock_path: Path) -> dict:
    try:
        return json.loads(lock_path.read_text())
    except (OSError, ValueError):
        return {}


def _is_stale(holder: dict) -> bool:
    if holder.get("host") != socket.gethostname() or not isinstance(holder.get("pid"), int):
        return False
    try:
        os.kill(holder["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
