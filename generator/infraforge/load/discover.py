"""Find the catalog's files: sorted, YAML only, never following a symlink out of the repo."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from infraforge.errors import Diagnostic, Position
from infraforge.load.yaml_source import MAX_FILE_BYTES

YAML_SUFFIXES = (".yaml", ".yml")
CATALOG_FOLDERS = ("catalog", "overlays")


@dataclass(frozen=True)
class SourceFile:
    """A catalog file: its path as users see it (relative to the project), its bytes and, when
    read from disk, its size and mtime as it was read (the render state records them)."""

    display: str
    raw: bytes
    stat: tuple[int, int] | None = None


def discover(project: Path, folders: tuple[str, ...]) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Read every YAML file under `folders` of `project`, refusing symlinks."""
    files: list[SourceFile] = []
    problems: list[Diagnostic] = []
    for folder in folders:
        root = project / folder
        if root.is_symlink():
            problems.append(_symlink(folder))
            continue
        if not root.is_dir():
            problems.append(Diagnostic("CATALOG-MISSING", f"folder {folder}/ not found",
                                       Position(folder), f"run from the project root or pass "
                                       f"--project; expected {folder}/ there"))
            continue
        _walk(str(root), folder, files, problems)
    return files, problems


def _walk(path: str, display: str, files: list[SourceFile], problems: list[Diagnostic]) -> None:
    # scandir entries know whether they are links or folders without another system call each;
    # plain strings, not pathlib: at a thousand tenants the path objects cost more than the I/O
    entries = sorted(os.scandir(path), key=lambda entry: entry.name)
    folders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        shown = f"{display}/{entry.name}"
        if entry.is_symlink():
            if entry.name.endswith(YAML_SUFFIXES) or entry.is_dir():
                problems.append(_symlink(shown))
        elif entry.is_dir(follow_symlinks=False):
            folders.append((entry.path, shown))
        elif entry.name.endswith(YAML_SUFFIXES):
            files.append(SourceFile(shown, *_read(entry.path)))
    for folder in folders:
        _walk(*folder, files, problems)


def _read(path: str) -> tuple[bytes, tuple[int, int]]:
    """The file's bytes (one over the limit is enough for the loader to refuse it), with its
    size and mtime from the same open file, taken before reading: an edit meanwhile leaves a
    stat older than the bytes, so the next run reads the file again rather than trust it."""
    # O_NOFOLLOW closes the gap between the is_symlink check and the open.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        chunks, size = [], 0
        # stopping at the stat's size spares the read that would only find the end (22,500
        # system calls at 5,000 tenants); a file that grew since is read to its new end
        while size <= MAX_FILE_BYTES and (chunk := os.read(fd, MAX_FILE_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size == info.st_size:
                break
    finally:
        os.close(fd)
    return b"".join(chunks), (info.st_size, info.st_mtime_ns)


def _symlink(display: str) -> Diagnostic:
    return Diagnostic("CATALOG-SYMLINK", "symbolic links are not followed in the catalog",
                      Position(display), "replace the link with the file itself")
