"""`make native` (`python -m infraforge.native.build`): compile each module of TWINS with mypyc.

Each module is compiled from a copy named after its twin (the extension's init function carries
that name), with the source's digest appended as SOURCE_DIGEST, and the extension is stored
under the digest in infraforge/native/compiled/ (not versioned). A module whose twin is current
is skipped; older twins of it are removed. Needs mypy (the dev extra) and a C compiler; without
them it says so and leaves the module to run as plain Python (tests/test_native.py fails in CI
if the twin is missing).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from infraforge.native import COMPILED, DIGEST_NAME, source_digest, twin_file, twin_name

# Modules that are pure computation over plain data, import nothing of InfraForge and type-check
# under mypy: what mypyc makes faster without changing a result.
TWINS = ("infraforge.emit.emitter",)


class NotCompiled(Exception):
    pass


def build(module: str) -> Path:
    """The twin of `module`'s current source, compiled now if it was not already."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise NotCompiled(f"no source for {module}")
    source = Path(spec.origin).read_bytes()
    digest = source_digest(source)
    target = twin_file(module, digest)
    if target.is_file():
        return target
    name = twin_name(module)
    with tempfile.TemporaryDirectory(prefix="infraforge-native-") as work:
        copy = Path(work) / f"{name}.py"
        copy.write_bytes(source + f'\n{DIGEST_NAME} = "{digest}"\n'.encode())
        done = subprocess.run([sys.executable, "-m", "mypyc", copy.name], cwd=work,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise NotCompiled(f"mypyc failed:\n{done.stdout}{done.stderr}")
        built = next((path for suffix in EXTENSION_SUFFIXES
                      if (path := Path(work) / f"{name}{suffix}").is_file()), None)
        if built is None:
            raise NotCompiled(f"mypyc left no extension:\n{done.stdout}")
        COMPILED.mkdir(exist_ok=True)
        for old in COMPILED.glob(f"{name}-*"):
            old.unlink()
        staged = target.with_name(f".{target.name}.{os.getpid()}")
        staged.write_bytes(built.read_bytes())
        os.replace(staged, target)  # a reader never loads a half-written extension
    return target


def main() -> None:
    for module in TWINS:
        try:
            print(f"{module}: {build(module).name}")
        except NotCompiled as exc:
            print(f"{module}: not compiled, runs as plain Python: {exc}", file=sys.stderr)


if __name__ == "__main__":
    main()
