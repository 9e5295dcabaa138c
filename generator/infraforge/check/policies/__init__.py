"""Policy checks on rendered objects: one small declarative rule per check, one registry.

`run_policies(objects, settings)` is the entry point `infraforge validate` calls (root by root,
then `stale_scopes` once over every root's objects, as an exception is stale only when no root
holds its object); `all_rules()` lists every rule (id, severity, doc) for `validate --list-rules`.
"""

from infraforge.check.policies.partitions import TreeFacts, partition_keys
from infraforge.check.policies.registry import Finding, Rule, all_rules
from infraforge.check.policies.runner import rule_diagnostics, run_policies, settings_diagnostics
from infraforge.check.policies.scope import scope_of
from infraforge.check.policies.scoped import (
    closest_name,
    known_names,
    object_names,
    scoped_settings,
    stale_entries,
    stale_entry,
    stale_scopes,
)
from infraforge.check.policies.tree import PolicyTree

__all__ = ["Finding", "PolicyTree", "Rule", "TreeFacts", "all_rules", "closest_name",
           "known_names",
           "object_names", "partition_keys", "rule_diagnostics", "run_policies",
           "scope_of", "scoped_settings", "settings_diagnostics", "stale_entries",
           "stale_entry", "stale_scopes"]
