"""Read the catalog in a forked child while the parent imports the compiler.

A render's first half-second is the parent importing the compiler (pydantic builds its models)
while the second core idles. Reading the catalog (4,500 files at 1,000 tenants: 0.1 s) needs
none of that, so a child reads the files meanwhile and hands their bytes and stats over a pipe;
the loader takes them as if it had read them itself. Anything unusual (no fork, a problem the
loader must report, a child that fails) and the loader reads the files itself, as always.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

from infraforge.load.discover import SourceFile, discover


class CatalogPrefetch:
    """A child reading the catalog; `files()` waits for it, `close()` lets it go."""

    def __init__(self, pid: int, pipe: int):
        self.pid, self.pipe = pid, pipe

    @classmethod
    def start(cls, project: Path, folders: tuple[str, ...]) -> CatalogPrefetch | None:
        if not hasattr(os, "fork"):
            return None
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: read, send, leave without running any of the parent's exits
            os.close(read_end)
            _send_catalog(project, folders, write_end)
        os.close(write_end)
        return cls(pid, read_end)

    def files(self) -> list[SourceFile] | None:
        """The catalog's files as the child read them; None: read them yourself."""
        if self.pipe < 0:
            return None
        with os.fdopen(self.pipe, "rb") as pipe:
            self.pipe = -1
            payload = pipe.read()
        if self._status() != 0 or not payload:
            return None
        try:
            return [SourceFile(display, raw, stat) for display, raw, stat in
                    marshal.loads(payload)]
        except (ValueError, EOFError, TypeError):
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


def _send_catalog(project: Path, folders: tuple[str, ...], pipe: int) -> None:
    status = 1
    try:
        files, problems = discover(project, folders)
        if not problems:  # the loader reports problems itself, with its own reading
            payload = marshal.dumps([(f.display, f.raw, f.stat) for f in files])
            with os.fdopen(pipe, "wb") as out:
                out.write(payload)
            status = 0
    finally:
        os._exit(status)
