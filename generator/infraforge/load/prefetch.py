"""Read (and parse) the catalog in a forked child while the parent imports the compiler.

A render's first half-second is the parent importing the compiler (pydantic builds its models)
while the second core idles. Reading the catalog needs none of that, and neither does the fast
path's parsing of the files that changed since the last render (all of them on a cold render:
4,500 files, 0.4 s at 1,000 tenants). So a child does both meanwhile and hands over bytes,
stats and parsed data through a pipe (marshal: plain data only); the loader takes them as if
it had read and parsed them itself, with the same functions. Anything unusual (no fork, a
problem the loader must report, a child that fails) and the loader does it all itself.
"""

from __future__ import annotations

import gc
import marshal
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infraforge.load.discover import SourceFile, discover


@dataclass(frozen=True)
class Prefetched:
    files: list[SourceFile]
    parsed: dict[str, list[Any]] = field(default_factory=dict)  # display → documents' data


class CatalogPrefetch:
    """A child reading the catalog; `result()` waits for it, `close()` lets it go."""

    def __init__(self, pid: int, pipe: int):
        self.pid, self.pipe = pid, pipe

    @classmethod
    def start(cls, project: Path, folders: tuple[str, ...],
              known: Mapping[str, Any] | None = None) -> CatalogPrefetch | None:
        """`known`: each file's (size, mtime) when last compiled; other files are parsed."""
        if not hasattr(os, "fork"):
            return None
        try:
            read_end, write_end = os.pipe()
        except OSError:  # out of descriptors: the loader reads the catalog itself
            return None
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory: the same
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the child: read, send, leave without running any of the parent's exits
            os.close(read_end)
            _send_catalog(project, folders, known or {}, write_end)
        os.close(write_end)
        return cls(pid, read_end)

    def result(self) -> Prefetched | None:
        """What the child read and parsed; None: read the catalog yourself."""
        if self.pipe < 0:
            return None
        with os.fdopen(self.pipe, "rb") as pipe:
            self.pipe = -1
            payload = pipe.read()
        if self._status() != 0 or not payload:
            return None
        try:
            entries = marshal.loads(payload)
            return Prefetched([SourceFile(display, raw, stat) for display, raw, stat, _ in entries],
                              {entry[0]: entry[3] for entry in entries if entry[3] is not None})
        except (ValueError, EOFError, TypeError, IndexError):
            return None

    def close(self) -> None:
        """Stop listening (the child's write fails and it exits) and reap the child."""
        if self.pipe >= 0:
            os.close(self.pipe)
            self.pipe = -1
        self._status()

    def _status(self) -> int:
        if self.pid <= 0:
            return 0
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        return status


def _send_catalog(project: Path, folders: tuple[str, ...], known: Mapping[str, Any],
                  pipe: int) -> None:
    status = 1
    gc.disable()  # a short life of many small objects: collections would only slow it down
    try:
        files, problems = discover(project, folders)
        if not problems:  # the loader reports problems itself, with its own reading
            from infraforge.load.catalog import fast_documents  # the child's import, not ours

            payload = marshal.dumps([
                (f.display, f.raw, f.stat,
                 None if tuple(known.get(f.display) or ()) == f.stat else fast_documents(f))
                for f in files])
            with os.fdopen(pipe, "wb") as out:
                out.write(payload)
            status = 0
    finally:
        os._exit(status)
