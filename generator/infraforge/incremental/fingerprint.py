"""Hashes that decide whether cached work is still valid."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from functools import cache
from pathlib import Path

import infraforge

PACKAGE = Path(infraforge.__file__).resolve().parent


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


@cache
def generator_fingerprint() -> str:
    """The generator's identity: its version, the Python version, the libraries installed with
    it and every source file."""
    parts: list[bytes | str] = [infraforge.__version__, sys.version, *installed_libraries()]
    for relative, path in _sources():
        with open(path, "rb") as handle:
            parts += [relative, handle.read()]
    return digest(*parts)


def _sources() -> list[tuple[str, str]]:
    """The generator's source files as (path within the package, path), sorted. Plain os.walk:
    every run computes the fingerprint, and pathlib's rglob took twice as long (~30 ms)."""
    found = []
    for folder, subfolders, files in os.walk(PACKAGE):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        within = os.path.relpath(folder, PACKAGE).replace(os.sep, "/")
        found += [(name if within == "." else f"{within}/{name}", os.path.join(folder, name))
                  for name in files if name.endswith((".py", ".j2", ".json", ".c"))]
    return sorted(found)


def installed_libraries() -> list[str]:
    """The distributions installed beside pydantic, versions in their names (0.4 ms, found
    without importing any): upgrading pydantic, cerberus, jinja2 or deepmerge can change what
    types or renders, and a cached verdict (a document known to type) must not outlive it."""
    spec = importlib.util.find_spec("pydantic")
    if spec is None or spec.origin is None:
        return []
    folder = Path(spec.origin).parent.parent
    return sorted(name for name in os.listdir(folder) if name.endswith(".dist-info"))
