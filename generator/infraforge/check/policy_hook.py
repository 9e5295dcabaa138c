"""Call the policy checks (check.policies, built separately) over each root's objects.

The policies see RenderedObjects whose `file` is relative to their root (as objects.py says);
their diagnostics are moved back to the paths users see (`rendered/...`).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from typing import Any

from infraforge.check.backstage import is_entity
from infraforge.check.documents import ParsedFile
from infraforge.check.objects import RenderedObject
from infraforge.check.tree import TreeRoot
from infraforge.errors import Diagnostic, Position

POLICY_MODULE = "infraforge.check.policies"


def _policies():  # the policies package, or None when this build ships none
    try:
        return importlib.import_module(POLICY_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name == POLICY_MODULE:
            return None
        raise


def policy_rules() -> list[tuple[str, str, str]]:
    """(id, default severity, one-line doc) of every policy rule."""
    policies = _policies()
    rules = policies.all_rules() if policies and hasattr(policies, "all_rules") else ()
    return [(r.id, str(r.severity.value), r.doc) for r in rules]


def policy_diagnostics(roots: tuple[TreeRoot, ...], parsed: list[ParsedFile],
                       settings: Mapping[str, Any],
                       whole_tree: bool = True) -> tuple[bool, list[Diagnostic]]:
    policies = _policies()
    if policies is None:
        return False, []
    found: list[Diagnostic] = []
    every_root: list[RenderedObject] = []
    for root in roots:
        mine = [p for p in parsed if p.file.root == root]
        objects = [o for p in mine for o in p.objects if not is_entity(o)]
        every_root += objects
        rel_files = {p.file.rel for p in mine}
        found.extend(_relocate(d, root, rel_files)
                     for d in policies.run_policies(objects, settings, report_stale=False))
    if whole_tree:  # a scoped exception is stale only when no root holds its object
        found.extend(policies.stale_scopes(every_root, settings))
    return True, found


def _relocate(diagnostic: Diagnostic, root: TreeRoot, rel_files: set[str]) -> Diagnostic:
    position = diagnostic.position
    if position.file not in rel_files:
        return diagnostic
    moved = Position(root.display(position.file), position.line, position.col)
    return dataclasses.replace(diagnostic, position=moved)
