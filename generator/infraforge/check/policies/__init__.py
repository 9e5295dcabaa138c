"""Policy checks on rendered objects: one small declarative rule per check, one registry.

`run_policies(objects, settings)` is the entry point `infraforge validate` calls (root by root,
then `stale_scopes` once over every root's objects, as an exception is stale only when no root
holds its object); `all_rules()` lists every rule (id, severity, doc) for `validate --list-rules`.
"""

from infraforge.check.policies.registry import Finding, Rule, all_rules
from infraforge.check.policies.runner import run_policies
from infraforge.check.policies.scoped import stale_scopes

__all__ = ["Finding", "Rule", "all_rules", "run_policies", "stale_scopes"]
