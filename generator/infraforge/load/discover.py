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
        _walk(project, root, files, problems)
    return files, problems


def _walk(project: Path, root: Path, files: list[SourceFile], problems: list[Diagnostic]) -> None:
    # scandir entries know whether they are links or folders without another system call each
    entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    prefix = root.relative_to(project).as_posix()
    folders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        display = f"{prefix}/{entry.name}"
        if entry.is_symlink():
            if entry.name.endswith(YAML_SUFFIXES) or entry.is_dir():
                problems.append(_symlink(display))
        elif entry.is_dir(follow_symlinks=False):
            folders.append(Path(entry.path))
        elif entry.name.endswith(YAML_SUFFIXES):
            files.append(SourceFile(display, _read(Path(entry.path))))
    for folder in folders:
        _walk(project, folder, files, problems)


def _read(path: Path) -> bytes:
    # O_NOFOLLOW closes the gap between the is_symlink check and the open.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        # one byte over the limit is enough for the loader to refuse the file
        return handle.read(MAX_FILE_BYTES + 1)


def _symlink(display: str) -> Diagnostic:
    return Diagnostic("CATALOG-SYMLINK", "symbolic links are not followed in the catalog",
                      Position(display), "replace the link with the file itself")
