"""Create many files under a new folder: each folder made once, files spread over a few threads.

Creating a file costs far more than writing its bytes, and most of that time is spent in the
kernel with the GIL released, so a second thread roughly halves a fresh 1,000-tenant tree. Each
file's stamp is taken as it is written (fstat on the open descriptor, the hash of the bytes in
hand): the render state needs no second pass over the tree.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress

from infraforge.write.threads import chunked, in_threads

FileStamp = tuple[int, int, str]  # size, mtime_ns, sha256 of the bytes written
WriteFile = Callable[[str, bytes], "os.stat_result | None"]


def file_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()  # releases the GIL for anything over 2 KiB


def stamp_of(info: os.stat_result, content: bytes, digest: str | None = None) -> FileStamp:
    """`digest`, when the caller knows it already, spares hashing `content` again."""
    return (info.st_size, info.st_mtime_ns, digest or file_digest(content))


def known_digests(files: Mapping[str, bytes]) -> Callable[[str], str | None]:
    """The sha256 a tree already knows for a path (a rendered tree knows its units' files:
    the workers hashed them, the cache kept them); None where only the bytes are known."""
    return getattr(files, "digest", _unknown)


def _unknown(path: str) -> None:
    return None


class Renamed(Mapping[str, bytes]):
    """`files` under other names (staging's numbers), each read from `files` when asked for:
    staging a write never holds a second copy of its bytes, and keeps their known digests."""

    def __init__(self, files: Mapping[str, bytes], names: Mapping[str, str]):
        self._files, self._names = files, names  # new name → path in `files`
        self._known = known_digests(files)

    def __getitem__(self, name: str) -> bytes:
        return self._files[self._names[name]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def digest(self, name: str) -> str | None:
        return self._known(self._names[name])


def create_files(base: str, files: Mapping[str, bytes],
                 write_file: WriteFile) -> dict[str, FileStamp]:
    """Write every file of `files` under the existing folder `base`; returns their stamps.

    Folders are made as needed. Paths are sorted so that one task mostly fills whole folders
    (threads in different folders do not queue on one directory's lock). A file whose writer
    reports no stat gets no stamp here; the render state takes one itself.
    """
    made = {""}  # folders known to exist, shared: set add and lookup are atomic under the GIL
    known = known_digests(files)

    def write_chunk(chunk: list[str]) -> dict[str, FileStamp]:
        stamps = {}
        for path in chunk:
            folder = path.rpartition("/")[0]
            if folder not in made:
                _make_folder(base, folder, made)
            content = files[path]
            info = write_file(f"{base}/{path}", content)
            if info is not None:
                stamps[path] = stamp_of(info, content, known(path))
        return stamps

    stamps: dict[str, FileStamp] = {}
    for part in in_threads(write_chunk, chunked(sorted(files))):
        stamps.update(part)
    return stamps


def _make_folder(base: str, folder: str, made: set[str]) -> None:
    """One mkdir per folder (parents first), instead of makedirs' stat-then-mkdir per file."""
    parent = folder.rpartition("/")[0]
    if parent not in made:
        _make_folder(base, parent, made)
    with suppress(FileExistsError):  # another thread made it a moment ago
        os.mkdir(f"{base}/{folder}")
    made.add(folder)


def write_file(target: str, content: bytes) -> os.stat_result:
    """Create `target` holding `content`; returns its stat from the open descriptor.

    The stat is taken after the last write, so its size and mtime are the file's as it stays.
    """
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)
