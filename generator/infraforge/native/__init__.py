"""Native extensions: C sources of hot loops, built by `make native`, used only when current.

An extension is used only when it was built from its source's very bytes: the build names the
file after the source's sha256 and stamps it inside as well (SOURCE_DIGEST), and `extension()`
looks for the current source's, so an edited source runs as plain Python until it is built
again, never as a stale build. Without a C compiler, or with `INFRAFORGE_NATIVE=0`, everything
runs as plain Python, with the same results (tests/test_native.py compares the two).
"""

from __future__ import annotations

import hashlib
import os
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path
from types import ModuleType

COMPILED = Path(__file__).resolve().parent / "compiled"
PACKAGE = Path(__file__).resolve().parent.parent
DIGEST_NAME = "SOURCE_DIGEST"

# extension module name -> its C source, relative to the infraforge package
EXTENSIONS = {"infraforge_emit_walker": "emit/walker.c"}


def source_digest(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


def built_file(name: str, digest: str, suffix: str = EXTENSION_SUFFIXES[0]) -> Path:
    return COMPILED / f"{name}-{digest}{suffix}"


def extension(name: str, source: Path | None = None) -> ModuleType | None:
    """The extension `name` if it was built from its source's current bytes (`source` overrides
    where that source is), else None."""
    if os.environ.get("INFRAFORGE_NATIVE") == "0" or not COMPILED.is_dir():
        return None
    try:
        digest = source_digest((source or PACKAGE / EXTENSIONS[name]).read_bytes())
    except OSError:
        return None
    built = next((path for suffix in EXTENSION_SUFFIXES
                  if (path := built_file(name, digest, suffix)).is_file()), None)
    if built is None:
        return None
    try:
        loader = ExtensionFileLoader(name, str(built))  # its init function is named after it
        compiled = module_from_spec(spec_from_loader(name, loader))  # type: ignore[arg-type]
        loader.exec_module(compiled)
    except ImportError:  # built for another Python, or damaged: plain Python then
        return None
    return compiled if getattr(compiled, DIGEST_NAME, None) == digest else None
