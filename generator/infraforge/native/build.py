"""`make native` (`python -m infraforge.native.build`): compile each extension of EXTENSIONS.

Each C source is compiled with SOURCE_DIGEST defined as its sha256, through setuptools' build_ext
(the compiler and flags this Python was built with), and the extension is stored under the
digest in infraforge/native/compiled/ (not versioned). An extension that is current is skipped;
older builds of it are removed. Without setuptools or a C compiler it says so and leaves the code
to run as plain Python (tests/test_native.py fails in CI if the build is missing).
"""

from __future__ import annotations

import os
import sys
import tempfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from infraforge.native import COMPILED, EXTENSIONS, PACKAGE, built_file, source_digest


class NotCompiled(Exception):
    pass


def build(name: str) -> Path:
    """The extension `name` built from its current source, compiled now if it was not already."""
    source = PACKAGE / EXTENSIONS[name]
    digest = source_digest(source.read_bytes())
    target = built_file(name, digest)
    if target.is_file():
        return target
    with tempfile.TemporaryDirectory(prefix="infraforge-native-") as work:
        built = _compile(name, source, digest, Path(work))
        COMPILED.mkdir(exist_ok=True)
        for old in COMPILED.glob(f"{name}-*"):
            old.unlink()
        staged = target.with_name(f".{target.name}.{os.getpid()}")
        staged.write_bytes(built.read_bytes())
        os.replace(staged, target)  # a reader never loads a half-written extension
    return target


def _compile(name: str, source: Path, digest: str, work: Path) -> Path:
    try:
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext
    except ImportError as exc:
        raise NotCompiled(f"setuptools is not installed: {exc}") from exc
    module = Extension(name, [str(source)], define_macros=[("SOURCE_DIGEST", f'"{digest}"')],
                       extra_compile_args=["-O2"])
    command = build_ext(Distribution({"name": name, "ext_modules": [module]}))
    command.build_lib, command.build_temp = str(work / "lib"), str(work / "temp")
    try:
        command.ensure_finalized()
        command.run()
    except Exception as exc:
        raise NotCompiled(f"{type(exc).__name__}: {exc}") from exc
    built = next((path for suffix in EXTENSION_SUFFIXES
                  if (path := work / "lib" / f"{name}{suffix}").is_file()), None)
    if built is None:
        raise NotCompiled("the compiler left no extension")
    return built


def main() -> None:
    for name in EXTENSIONS:
        try:
            print(f"{name}: {build(name).name}")
        except NotCompiled as exc:
            print(f"{name}: not compiled, runs as plain Python: {exc}", file=sys.stderr)


if __name__ == "__main__":
    main()
