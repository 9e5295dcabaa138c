"""The policy rule type and the registry every rule module adds itself to.

A rule is declarative: a stable id, a default severity, a one-line doc and a check function
over the whole rendered tree (some checks need more than one object, e.g. "every tenant
namespace has a default-deny NetworkPolicy"). Rules yield findings; the runner turns them into
diagnostics with the rule's (or the platform's downgraded) severity.

What a rule may combine is bounded, so that validate re-checks only the files that changed and
those they share partitions with: a finding about an object may depend on that object, on
objects sharing one of its partition keys (`partitions.partition_keys`: its tenant scope's
namespace or its own namespace), and on the tree's facts (`tree.facts`, `tree.tenants`,
`tree.environments`). A rule needing more of the tree extends TreeFacts;
tests/test_validate_incremental.py checks incremental runs against full ones.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from infraforge.check.objects import RenderedObject
from infraforge.errors import Severity

RULE_MODULES = ("namespaces", "network", "podsecurity", "workloads", "rbac", "secrets", "argocd",
                "applicationsets", "production")


@dataclass(frozen=True)
class Finding:
    """One violation: the object it is about and what is wrong (never a secret's value)."""

    obj: RenderedObject
    message: str


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    doc: str
    hint: str
    check: Callable[..., Iterable[Finding]]


_RULES: dict[str, Rule] = {}


def rule(rule_id: str, doc: str, *, hint: str,
         severity: Severity = Severity.ERROR) -> Callable[[Callable], Callable]:
    """Register the decorated `check(tree) -> Iterable[Finding]` under `rule_id`."""

    def register(check: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        if rule_id in _RULES:
            raise ValueError(f"policy rule {rule_id} registered twice")
        _RULES[rule_id] = Rule(rule_id, severity, doc, hint, check)
        return check

    return register


def all_rules() -> tuple[Rule, ...]:
    """Every policy rule, sorted by id (what `validate --list-rules` prints)."""
    for module in RULE_MODULES:
        importlib.import_module(f"infraforge.check.policies.{module}")
    return tuple(_RULES[key] for key in sorted(_RULES))
