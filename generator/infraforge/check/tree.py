"""The files of a rendered tree, as validation sees them: where they are, their bytes and digest.

A tree is one or more roots (`rendered/`, `appsets/`, or a directory given with `--tree`). Paths
inside a root are what the checks and the cache work with; the root's label turns them into the
path a user sees (`rendered/prod/payments/workloads/manifest.yaml`).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from infraforge.lazy import cached_property

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
# The value of a top-level `apiVersion:` line, as rendered files and hand-written YAML spell it.
_API_VERSION = b"apiVersion:"
_VALUE = re.compile(rb"[ \t]*[\"']?([^\s\"'#]*)")
_ENTITY_API = b"backstage.io/"


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

    @cached_property
    def display(self) -> str:  # asked for tens of thousands of times a run
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
        found: list[tuple[str, str]] = []
        _walk(str(root.path), "", found)
        for path, rel in found:
            with open(path, "rb") as handle:
                raw = handle.read()
            files.append(TreeFile(root, rel, raw, hashlib.sha256(raw).hexdigest()))
    return files


def _walk(top: str, rel: str, found: list[tuple[str, str]]) -> None:
    """Depth first, a folder's files before its subfolders, each in name order. Directory
    entries say whether they are links or folders without a stat call per file, which
    matters at thousands of files."""
    try:
        with os.scandir(top) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return  # an unreadable folder holds nothing we can check, as with os.walk
    folders = []
    for entry in entries:
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        if entry.is_dir():
            folders.append(entry)
        elif entry.name.lower().endswith(MANIFEST_SUFFIXES):
            found.append((entry.path, rel + entry.name))
    for folder in folders:
        _walk(folder.path, f"{rel}{folder.name}/", found)


def may_hold_kubernetes(raw: bytes) -> bool:
    """Whether kubeconform should see the file, judged from its bytes alone so that it can start
    before anything is parsed: false only when every top-level apiVersion is Backstage's (a
    file of entities). Parsing catches the rare file this misjudges."""
    if _ENTITY_API not in raw:
        return True  # the common case, found at memchr speed
    found, at = False, raw.find(_API_VERSION)
    while at >= 0:  # a literal search; a `^` pattern would try every line of every file
        if at == 0 or raw[at - 1] == 0x0A:
            value = _VALUE.match(raw, at + len(_API_VERSION))
            if not value or not value.group(1).startswith(_ENTITY_API):
                return True
            found = True
        at = raw.find(_API_VERSION, at + 1)
    return not found
