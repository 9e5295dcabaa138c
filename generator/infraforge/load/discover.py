"""Find the catalog's files: sorted, YAML only, never following a symlink out of the repo."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from infraforge.errors import Diagnostic, Position
from infraforge.load.yaml_source import MAX_FILE_BYTES

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class SourceFile:
    """A catalog file: its path as users see it (relative to the project) and its bytes."""

    display: str
    raw: bytes


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
            files.append(SourceFile(shown, _read(entry.path)))
    for folder in folders:
        _walk(*folder, files, problems)


def _read(path: str) -> bytes:
    # O_NOFOLLOW closes the gap between the is_symlink check and the open.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        # one byte over the limit is enough for the loader to refuse the file
        return handle.read(MAX_FILE_BYTES + 1)


def _symlink(display: str) -> Diagnostic:
    return Diagnostic("CATALOG-SYMLINK", "symbolic links are not followed in the catalog",
                      Position(display), "replace the link with the file itself")
