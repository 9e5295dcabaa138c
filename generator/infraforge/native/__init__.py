"""Compiled twins: hot pure-Python modules built into C extensions by mypyc (`make native`).

A twin is the same source compiled, so it computes the same results, faster (the YAML emitter:
1.5x, measured). It is used only when it was built from the module's very bytes: the build names
the twin after the source's sha256 and stamps it inside as well, and `twin()` looks for the
current source's, so an edited module runs as Python until it is built again, never as a stale
extension. Without a C compiler, or with `INFRAFORGE_NATIVE=0`, everything runs as plain Python.
"""

from __future__ import annotations

import hashlib
import os
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path
from types import ModuleType

COMPILED = Path(__file__).resolve().parent / "compiled"
DIGEST_NAME = "SOURCE_DIGEST"


def twin_name(module: str) -> str:
    """The extension's own module name: `infraforge.emit.yaml` → `infraforge_emit_yaml`."""
    return module.replace(".", "_")


def source_digest(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


def twin_file(module: str, digest: str, suffix: str = EXTENSION_SUFFIXES[0]) -> Path:
    return COMPILED / f"{twin_name(module)}-{digest}{suffix}"


def twin(module: str, source_file: str) -> ModuleType | None:
    """The compiled build of `module` if there is one of `source_file`'s current bytes."""
    if os.environ.get("INFRAFORGE_NATIVE") == "0" or not COMPILED.is_dir():
        return None
    try:
        digest = source_digest(Path(source_file).read_bytes())
    except OSError:
        return None
    built = next((path for suffix in EXTENSION_SUFFIXES
                  if (path := twin_file(module, digest, suffix)).is_file()), None)
    if built is None:
        return None
    name = twin_name(module)  # the extension's init function is named after it
    try:
        loader = ExtensionFileLoader(name, str(built))
        compiled = module_from_spec(spec_from_loader(name, loader))  # type: ignore[arg-type]
        loader.exec_module(compiled)
    except ImportError:  # built for another Python, or damaged: plain Python then
        return None
    return compiled if getattr(compiled, DIGEST_NAME, None) == digest else None
