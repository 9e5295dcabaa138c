"""The two sides of a diff: the catalog at a git ref and at head, each compiled in memory.

The base is checked out with `git worktree add --detach` into a temporary directory that is
removed whatever happens. Both sides are compiled by the generator that is running (head's):
the diff then shows what the *catalog* change does, and a change to generator/ or its
templates is reported as a blast radius instead of being mixed in. `own_generator` compiles
the base with the base's own generator/ in a subprocess, to see a generator change's effect.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from infraforge.diff.documents import ENTRYPOINTS
from infraforge.model.kinds import PlatformSpec

GENERATOR_DIR = "generator"
SHARED_INPUTS = ("overlays",)        # every file: environment defaults shared by all tenants
TENANT_INPUTS = "catalog/tenants/"   # everything else under catalog/ is shared (the Platform)


class SourceError(Exception):
    """git or the base generator failed; the message says what to do."""


@dataclass(frozen=True)
class Side:
    label: str                          # "origin/main (0123abcd4567)" or "working tree"
    files: Mapping[str, bytes]          # rendered/ paths, plus appsets/<env>.yaml
    shared_inputs: Mapping[str, bytes]  # catalog files every tenant depends on
    platform: PlatformSpec | None       # None when another generator compiled it
    canonical: bool = True              # written by this emitter: equal text = equal object


def git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                              check=False)
    except FileNotFoundError:
        raise SourceError("git is not installed; `infraforge diff` needs it") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or ["failed"]
        raise SourceError(f"git {' '.join(args)}: {detail[0]}")
    return done.stdout.strip()


def resolve(repo: Path, ref: str) -> str:
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options",
                   f"{ref}^{{commit}}")
    except SourceError:
        raise SourceError(f"{ref!r} is not a commit in {repo}; fetch it first (CI: a checkout "
                          "with fetch-depth: 2 has the merge's base as HEAD^1)") from None


@contextmanager
def worktree(repo: Path, commit: str) -> Iterator[Path]:
    """A detached checkout of `commit` in a temporary directory, always removed afterwards."""
    scratch = Path(tempfile.mkdtemp(prefix="infraforge-diff-"))
    tree = scratch / "tree"
    try:
        git(repo, "worktree", "add", "--detach", "--quiet", str(tree), commit)
        yield tree
    finally:
        subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(tree)],
                       capture_output=True, check=False)
        shutil.rmtree(scratch, ignore_errors=True)
        subprocess.run(["git", "-C", str(repo), "worktree", "prune"], capture_output=True,
                       check=False)


def compile_side(project: Path, label: str) -> Side:
    from infraforge.pipeline import compile_catalog

    result = compile_catalog(project)
    files = dict(result.tree.files)
    files.update({f"{ENTRYPOINTS}/{name}": data for name, data in result.tree.entrypoints.items()})
    return Side(label, files, shared_inputs(project), result.catalog.platform.model.spec)


def compile_with_own_generator(project: Path, generator: Path, label: str) -> Side:
    """Compile with the `infraforge` package under `generator` (another version of this one)."""
    out = Path(tempfile.mkdtemp(prefix="infraforge-base-render-"))
    try:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(generator), *filter(None, [os.environ.get("PYTHONPATH")])]))
        done = subprocess.run(
            [sys.executable, "-m", "infraforge", "-C", str(project), "--color", "never", "render",
             "--output", str(out / "rendered")], env=env, capture_output=True, text=True,
            check=False)
        if done.returncode != 0:
            raise SourceError(f"{label}: its own generator could not render it "
                              f"(exit {done.returncode}):\n{done.stderr.strip()}")
        files = read_tree(out / "rendered")
        files.update({f"{ENTRYPOINTS}/{p}": data
                      for p, data in read_tree(project / ENTRYPOINTS).items()})
        return Side(label, files, shared_inputs(project), None, canonical=False)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def read_tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file() and not path.name.startswith(".infraforge")}


def shared_inputs(project: Path) -> dict[str, bytes]:
    """Catalog files no single tenant owns: overlays/ and catalog/ outside catalog/tenants/."""
    found: dict[str, bytes] = {}
    for folder in ("catalog", *SHARED_INPUTS):
        for path in sorted((project / folder).rglob("*")):
            relative = path.relative_to(project).as_posix()
            if path.is_file() and not relative.startswith(TENANT_INPUTS):
                found[relative] = path.read_bytes()
    return found
