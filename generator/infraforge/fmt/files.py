"""Which files `fmt` looks at, and how it writes them back (atomically, only when changed)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from infraforge.errors import Diagnostic, Position
from infraforge.load.discover import CATALOG_FOLDERS, YAML_SUFFIXES, SourceFile, discover


def collect(project: Path, paths: list[str]) -> tuple[list[SourceFile], list[Diagnostic]]:
    """YAML files under `paths` (relative to the project; default catalog/ and overlays/)."""
    folders, files, problems = [], [], []
    for given in paths or list(CATALOG_FOLDERS):
        display = Path(given).as_posix().rstrip("/") or "."
        target = project / display
        if target.is_dir() and not target.is_symlink():
            folders.append(display)
        elif target.is_symlink():
            problems.append(Diagnostic("CATALOG-SYMLINK", "symbolic links are not followed",
                                       Position(display)))
        elif not target.is_file():
            problems.append(Diagnostic("FMT-NOT-FOUND", "no such file or folder",
                                       Position(display)))
        elif not display.endswith(YAML_SUFFIXES):
            problems.append(Diagnostic("FMT-NOT-YAML", "only .yaml and .yml files are formatted",
                                       Position(display)))
        else:
            files.append(SourceFile(display, target.read_bytes()))
    found, missing = discover(project, tuple(folders))
    unique = {source.display: source for source in [*found, *files]}
    return [unique[key] for key in sorted(unique)], [*problems, *missing]


def write_atomically(path: Path, content: bytes) -> None:
    """Temp file in the same folder, then rename: a reader never sees half a file."""
    mode = path.stat().st_mode & 0o777
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
