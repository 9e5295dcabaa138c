"""Policy checks on rendered objects: one small declarative rule per check, one registry.

`run_policies(objects, settings)` is the entry point `infraforge validate` calls;
`all_rules()` lists every rule (id, severity, doc) for `validate --list-rules`.
"""

from infraforge.check.policies.registry import Finding, Rule, all_rules
from infraforge.check.policies.runner import run_policies

__all__ = ["Finding", "Rule", "all_rules", "run_policies"]
