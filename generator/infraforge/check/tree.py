"""The files of a rendered tree, as validation sees them: where they are, their bytes and digest.

A tree is one or more roots (`rendered/`, `appsets/`, or a directory given with `--tree`). Paths
inside a root are what the checks and the cache work with; the root's label turns them into the
path a user sees (`rendered/prod/payments/workloads/manifest.yaml`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class TreeRoot:
    """A directory to validate; `label` is how its paths are shown ("." shows them bare)."""

    label: str
    path: Path

    def display(self, rel: str) -> str:
        return rel if self.label in ("", ".") else f"{self.label.rstrip('/')}/{rel}"


@dataclass(frozen=True)
class TreeFile:
    root: TreeRoot
    rel: str
    raw: bytes
    digest: str

    @property
    def display(self) -> str:
        return self.root.display(self.rel)

    @property
    def path(self) -> Path:
        return self.root.path / self.rel


def scan_tree(roots: tuple[TreeRoot, ...]) -> list[TreeFile]:
    """Every manifest file under the roots, sorted, hidden entries and symlinks left out.

    The same suffixes as kubeconform (`.yaml`, `.yml`, `.json`), so both see the same files.
    """
    files: list[TreeFile] = []
    for root in roots:
        for path in _walk(root.path):
            raw = path.read_bytes()
            files.append(TreeFile(root, path.relative_to(root.path).as_posix(), raw,
                                  hashlib.sha256(raw).hexdigest()))
    return files


def _walk(top: Path) -> list[Path]:
    found: list[Path] = []
    for current, dirs, names in os.walk(top):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
        found.extend(here / name for name in sorted(names)
                     if name.lower().endswith(MANIFEST_SUFFIXES) and not name.startswith(".")
                     and not (here / name).is_symlink())
    return found
