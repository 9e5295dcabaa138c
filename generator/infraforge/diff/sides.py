"""Load both sides of `infraforge diff`: base at a git ref, head at a ref or the working tree."""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from infraforge.diff.sources import (
    GENERATOR_DIR,
    Side,
    compile_side,
    compile_with_own_generator,
    git,
    resolve,
    worktree,
)
from infraforge.errors import CatalogError, Diagnostic
from infraforge.incremental.store import CACHE_DIR


class SideCatalogError(Exception):
    """One side's catalog does not compile; `diagnostics` say where."""

    def __init__(self, label: str, diagnostics: tuple[Diagnostic, ...]):
        super().__init__(f"the catalog at {label} does not compile")
        self.label, self.diagnostics = label, diagnostics


@dataclass(frozen=True)
class Sides:
    base: Side
    head: Side
    generator_changes: tuple[str, ...]  # generator/ files that differ between the two
    own_generator: bool                 # base compiled by its own generator


def load_sides(project: Path, base_ref: str, head_ref: str | None,
               own_generator: bool) -> Sides:
    repo = Path(git(project, "rev-parse", "--show-toplevel"))
    prefix = git(project, "rev-parse", "--show-prefix")
    base_commit = resolve(repo, base_ref)
    head_commit = resolve(repo, head_ref) if head_ref else None
    changed = tuple(filter(None, git(repo, "diff", "--name-only", base_commit,
                                     *filter(None, [head_commit]), "--", GENERATOR_DIR
                                     ).splitlines()))
    use_own = own_generator and bool(changed)
    if head_commit is None:  # first: it refreshes the compile cache the base then starts from
        head = _compiled(lambda: compile_side(project, "working tree"), "working tree")
    else:
        head = _at_commit(repo, prefix, head_ref or "", head_commit, False, project)
    base = _at_commit(repo, prefix, base_ref, base_commit, use_own, project)
    return Sides(base, head, changed, use_own)


def _at_commit(repo: Path, prefix: str, ref: str, commit: str, own_generator: bool,
               cache_from: Path) -> Side:
    label = ref if ref == commit else f"{ref} ({commit[:12]})"
    with worktree(repo, commit) as tree:
        project = tree / prefix
        if own_generator:
            return compile_with_own_generator(project, tree / GENERATOR_DIR, label)
        _seed_cache(cache_from, project)
        return _compiled(lambda: compile_side(project, label), label)


def _seed_cache(source: Path, project: Path) -> None:
    """Start from the working project's compile cache: its entries are keyed by content and
    generator, so every file the two commits share is not parsed again."""
    with contextlib.suppress(OSError):  # no cache yet, or unreadable: the compile starts cold
        shutil.copytree(source / CACHE_DIR, project / CACHE_DIR, dirs_exist_ok=True)


def _compiled(compile_it, label: str) -> Side:
    try:
        return compile_it()
    except CatalogError as exc:
        raise SideCatalogError(label, exc.diagnostics) from None
