"""Run every policy rule over the rendered objects, honouring the platform's policy settings.

A platform may disable a rule or downgrade it to a warning in `Platform.spec.policies`, always
with a reason, for the whole platform or only for the objects it lists (scoped.py). Each applied
setting is reported as an info diagnostic carrying that reason and scope, so nobody wonders
later why a check stayed quiet.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from infraforge.check.objects import RenderedObject
from infraforge.check.policies.registry import Finding, Rule, all_rules
from infraforge.check.policies.scoped import PLATFORM_FILE, covers, describe_scope, stale_scopes
from infraforge.check.policies.tree import PolicyTree
from infraforge.errors import Diagnostic, Position, Severity
from infraforge.model.kinds import PolicySetting

UNKNOWN_RULE = "POLICY-UNKNOWN-RULE"
_VERB = {"disable": "disabled", "warn": "downgraded to a warning"}


def run_policies(objects: list[RenderedObject], settings: Mapping[str, PolicySetting], *,
                 report_stale: bool = True) -> list[Diagnostic]:
    """Every finding of every enabled rule, plus one info line per applied platform setting.

    `report_stale=False` leaves stale `objects` entries out, for a caller that runs the rules
    root by root and calls `stale_scopes` once over every root's objects.
    """
    rules = all_rules()
    tree = PolicyTree(objects)
    diagnostics = [*settings_diagnostics(settings, rules), *rule_diagnostics(tree, settings, rules)]
    if report_stale:
        diagnostics += stale_scopes(tree.objects, settings)
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def settings_diagnostics(settings: Mapping[str, PolicySetting],
                         rules: tuple[Rule, ...]) -> list[Diagnostic]:
    """What the platform's settings say, whatever the tree holds: unknown rule ids, and one
    info line per rule a setting disables or downgrades."""
    return [*unknown_settings(settings, rules),
            *(setting_applied(p, settings[p.id]) for p in rules if p.id in settings)]


def rule_diagnostics(tree: PolicyTree, settings: Mapping[str, PolicySetting],
                     rules: tuple[Rule, ...]) -> list[Diagnostic]:
    """The findings of every rule the settings leave on, at the severity they leave."""
    diagnostics: list[Diagnostic] = []
    for policy in rules:
        setting = settings.get(policy.id)
        if setting is not None and setting.action == "disable" and setting.objects is None:
            continue  # off everywhere: not worth running
        diagnostics += [to_diagnostic(policy, finding, severity)
                        for finding in policy.check(tree)
                        if (severity := severity_of(policy, setting, finding)) is not None]
    return diagnostics


def severity_of(policy: Rule, setting: PolicySetting | None, finding: Finding) -> Severity | None:
    """The finding's severity under the platform's setting; None when the setting disables it."""
    if setting is None or not covers(setting, finding.obj):
        return policy.severity
    return None if setting.action == "disable" else Severity.WARNING


def to_diagnostic(policy: Rule, finding: Finding, severity: Severity) -> Diagnostic:
    source = finding.obj.source
    related = (Position(source),) if isinstance(source, str) and source else ()
    message = f"{finding.obj.describe()}: {finding.message}"
    return Diagnostic(policy.id, message, finding.obj.position, policy.hint, severity, related)


def setting_applied(policy: Rule, setting: PolicySetting) -> Diagnostic:
    return Diagnostic(policy.id, f"{_VERB[setting.action]} by the platform: {setting.reason}"
                      f"{describe_scope(setting)}", Position(PLATFORM_FILE),
                      severity=Severity.INFO)


def unknown_settings(settings: Mapping[str, PolicySetting],
                     rules: tuple[Rule, ...]) -> list[Diagnostic]:
    known = [r.id for r in rules]
    problems = []
    for rule_id in sorted(set(settings) - set(known)):
        close = difflib.get_close_matches(rule_id, known, n=1, cutoff=0.6)
        hint = (f"did you mean {close[0]}?" if close else
                "run `infraforge validate --list-rules` for the rule ids")
        problems.append(Diagnostic(UNKNOWN_RULE, f"spec.policies names unknown rule {rule_id!r}",
                                   Position(PLATFORM_FILE), hint))
    return problems
