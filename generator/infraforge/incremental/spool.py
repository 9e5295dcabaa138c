"""Rendered bytes parked in an anonymous temporary file from the moment they are rendered until
they are written, so the main process never holds all of them at once.

At 5,000 tenants the units' files are ~450 MiB: held in the main process until the write, they
were two fifths of its peak memory. A worker writes each unit's bytes into the spool and sends
back only where they are (offset, length); the writer and the cache read them back one file at
a time. The file is unlinked from the start (nothing is left behind, even by a killed run) and
lives in TMPDIR: on a disk its pages are cache the kernel can reclaim, not process memory.

Forked workers share the file and a counter of its reserved end. A process reserves a block
under a lock (a POSIX record lock: one holder per process) and fills it alone, so the lock is
taken a few dozen times per render, not once per unit. A spool that cannot be created or
written returns None, and the caller keeps those bytes in memory as before.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import tempfile
from collections.abc import Sequence

Span = tuple[int, int]  # offset, length of one file's bytes in the spool
BLOCK = 4 << 20  # bytes a process reserves at a time; unused tails stay holes in a sparse file


class Spool:
    """An anonymous file that forked workers append to and the main process reads from."""

    def __init__(self) -> None:
        try:
            # open for the spool's whole life; closed (and so freed) with the spool
            self._file = tempfile.TemporaryFile(prefix="infraforge-spool-")  # noqa: SIM115
        except OSError:
            self._file = None  # no usable TMPDIR: bytes stay in memory
        self._end = mmap.mmap(-1, 8)  # shared with forked children: the end reserved so far
        self._owner, self._next, self._limit = 0, 0, 0  # this process's block

    @property
    def usable(self) -> bool:
        return self._file is not None and hasattr(os, "pwritev")

    def park(self, contents: Sequence[bytes]) -> tuple[Span, ...] | None:
        """Write `contents` (one unit's files) in one call; their spans, or None if not written."""
        if not self.usable:
            return None
        total = sum(map(len, contents))
        offset = self._reserve(total)
        try:
            written = os.pwritev(self._file.fileno(), contents, offset) if total else 0
        except OSError:  # a full TMPDIR: these bytes stay in memory
            return None
        if written != total:
            return None
        spans = []
        for content in contents:
            spans.append((offset, len(content)))
            offset += len(content)
        return tuple(spans)

    def read(self, span: Span) -> bytes:
        offset, length = span
        content = os.pread(self._file.fileno(), length, offset)  # type: ignore[union-attr]
        if len(content) != length:
            raise OSError(f"the render spool lost {length - len(content)} bytes at {offset}")
        return content

    def _reserve(self, size: int) -> int:
        # a forked child inherits its parent's block: the owner check makes it take its own
        if self._owner != os.getpid() or self._next + size > self._limit:
            block = max(BLOCK, size)
            fd = self._file.fileno()  # type: ignore[union-attr]
            fcntl.lockf(fd, fcntl.LOCK_EX)
            try:
                start = int.from_bytes(self._end[:8], "little")
                self._end[:8] = (start + block).to_bytes(8, "little")
            finally:
                fcntl.lockf(fd, fcntl.LOCK_UN)
            self._owner, self._next, self._limit = os.getpid(), start, start + block
        offset = self._next
        self._next += size
        return offset
