"""The default report: one `file:line:col: RULE: message` line per problem, then a summary."""

from __future__ import annotations

from infraforge.check.result import ValidationResult
from infraforge.errors import Severity

_ACTIONS = {"disable": "disabled", "warn": "downgraded to a warning"}


def render_text(result: ValidationResult) -> str:
    lines = []
    for diagnostic in result.diagnostics:
        head, _, rest = diagnostic.format().partition("\n")
        if diagnostic.severity is not Severity.ERROR:
            head += f" [{diagnostic.severity.value}]"
        lines.append(head)
        if rest:
            lines.append(rest)
    if not result.policies_ran:  # (when they ran, each applied Platform setting is a diagnostic)
        lines += [f"note: policy {note.rule} would be {_ACTIONS.get(note.action, note.action)} "
                  f"by the Platform: {note.reason}" for note in result.policy_notes]
        lines.append("note: policy checks are not part of this build; schema checks only")
    lines.append(result.summary())
    return "\n".join(lines) + "\n"
