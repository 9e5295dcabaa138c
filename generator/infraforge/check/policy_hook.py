"""Call the policy checks (check.policies) over each root, re-running only what changed.

The policies see RenderedObjects whose `file` is relative to their root (as objects.py says);
their diagnostics are moved back to the paths users see (`rendered/...`).

Rules relate objects only within a partition (policies/tree.py), so a root's files fall into
components: files linked by a partition key they share (a tenant's guardrails and workloads,
say). A component whose files and root facts are those the last run recorded keeps its
recorded diagnostics; the rest are checked together in one PolicyTree given the root's facts,
which the files' recorded facts provide without reading them again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from infraforge.check.cache import ValidationIndex
from infraforge.check.documents import ParsedFile
from infraforge.check.policy_parts import (
    FileFacts,
    components,
    file_facts,
    policy_objects,
    tree_facts,
    with_closest,
)
from infraforge.check.tree import TreeFile, TreeRoot
from infraforge.errors import Diagnostic, Position

POLICY_MODULE = "infraforge.check.policies"
Reader = Callable[[TreeFile], ParsedFile]


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


def policy_context(settings: Mapping[str, Any]) -> str:
    """What policy verdicts depend on besides the files: the platform's settings."""
    return json.dumps({rule: s.model_dump(mode="json") if hasattr(s, "model_dump") else repr(s)
                       for rule, s in sorted(settings.items())}, sort_keys=True)


def policy_diagnostics(roots: tuple[TreeRoot, ...], files: list[TreeFile], read: Reader,
                       settings: Mapping[str, Any], index: ValidationIndex,
                       whole_tree: bool = True) -> tuple[bool, list[Diagnostic]]:
    policies = _policies()
    if policies is None:
        return False, []
    rules = policies.all_rules()
    scoped = policies.scoped_settings(settings)
    named = frozenset(entry for s in scoped.values() for entry in s.objects or ())
    facts: dict[str, FileFacts] = {}
    for file in files:
        stored = index.facts(file)
        known = FileFacts.load(stored) if stored is not None else None
        if known is None:
            known = file_facts(read(file), named)
            stored = known.dump()
        facts[file.display] = known
        index.record_facts(file, stored)
    found = policies.settings_diagnostics(settings, rules)
    for root in roots:
        mine = [f for f in files if f.root == root]
        found += _root_diagnostics(root, mine, facts, read, settings, index)
    if whole_tree and scoped:  # a scoped exception is stale only when no root holds its object
        found += _stale(scoped, files, facts, read, index)
    return True, found


def _root_diagnostics(root: TreeRoot, files: list[TreeFile], facts: dict[str, FileFacts],
                      read: Reader, settings: Mapping[str, Any],
                      index: ValidationIndex) -> list[Diagnostic]:
    policies = _policies()
    shared = tree_facts(facts[f.display] for f in files)
    shared_digest = hashlib.sha256(json.dumps([
        sorted([s.tenant, s.environment] for s in shared.scopes), sorted(shared.backups)]
    ).encode()).hexdigest()
    found: list[Diagnostic] = []
    dirty: list[list[TreeFile]] = []
    for members in components(files, facts):
        kept = index.component(_signature(members), shared_digest)
        if kept is None:
            dirty.append(members)
            continue
        found += kept
        index.record_component(_signature(members), shared_digest, kept)
    if not dirty:
        return found
    objects = [o for members in dirty for f in members for o in policy_objects(read(f))]
    tree = policies.PolicyTree(objects, shared)
    rel_files = {f.rel for f in files}
    checked = [_relocate(d, root, rel_files)
               for d in policies.rule_diagnostics(tree, settings, policies.all_rules())]
    for members in dirty:
        displays = {f.display for f in members}
        mine = [d for d in checked if d.position.file in displays]
        index.record_component(_signature(members), shared_digest, mine)
        found += mine
    return found


def _stale(scoped: Mapping[str, Any], files: list[TreeFile], facts: dict[str, FileFacts],
           read: Reader, index: ValidationIndex) -> list[Diagnostic]:
    """An entry is stale when no file's facts match it. Its hint needs the closest name in the
    whole tree: each file's closest is remembered, so a file is read for that only the first
    time the entry is stale or when the file changed."""
    policies = _policies()
    matched = set().union(*(facts[f.display].matched for f in files))
    stale = [(rule, entry) for rule, s in sorted(scoped.items()) for entry in s.objects or ()
             if entry not in matched]
    entries = {entry for _, entry in stale}
    closest: dict[str, set[str]] = {entry: set() for entry in entries}
    for file in files:
        missing = entries - facts[file.display].closest.keys()
        if missing:
            facts[file.display] = with_closest(facts[file.display], read(file), missing)
            index.record_facts(file, facts[file.display].dump())
        for entry in entries:
            if (name := facts[file.display].closest[entry]) is not None:
                closest[entry].add(name)
    return [policies.stale_entry(rule, entry, policies.closest_name(entry, closest[entry]))
            for rule, entry in stale]


def _signature(members: list[TreeFile]) -> dict[str, str]:
    return {f.display: f.digest for f in members}


def _relocate(diagnostic: Diagnostic, root: TreeRoot, rel_files: set[str]) -> Diagnostic:
    position = diagnostic.position
    if position.file not in rel_files:
        return diagnostic
    moved = Position(root.display(position.file), position.line, position.col)
    return dataclasses.replace(diagnostic, position=moved)
