"""`--engine both`: kubeconform stays the verdict; every document the in-process fast path
judged differently becomes an ENGINE-DISAGREE warning, so a drift between the two shows."""

from __future__ import annotations

from infraforge.check.documents import ParsedFile
from infraforge.check.findings import SchemaFinding
from infraforge.check.schema_report import finding_diagnostics
from infraforge.errors import Diagnostic, Severity


def verdicts(findings: list[SchemaFinding], parsed: ParsedFile,
             allow_missing: frozenset[str]) -> dict[int, set[str]]:
    """Document index → the schema rules it broke."""
    found: dict[int, set[str]] = {}
    for index, diagnostic in finding_diagnostics(findings, parsed, allow_missing):
        if index is not None:
            found.setdefault(index, set()).add(diagnostic.rule)
    return found


def disagreements(parsed: ParsedFile, slow: list[SchemaFinding], fast: list[SchemaFinding],
                  allow_missing: frozenset[str]) -> list[Diagnostic]:
    by_kubeconform = verdicts(slow, parsed, allow_missing)
    by_fast = verdicts(fast, parsed, allow_missing)
    problems = []
    for obj in parsed.objects:
        left, right = by_kubeconform.get(obj.index, set()), by_fast.get(obj.index, set())
        if left != right:
            problems.append(Diagnostic(
                "ENGINE-DISAGREE", f"{obj.describe()}: kubeconform found "
                f"{', '.join(sorted(left)) or 'no problem'}, the fast path "
                f"{', '.join(sorted(right)) or 'no problem'}", parsed.position(obj.index),
                "kubeconform is the validator of record; please report this difference",
                Severity.WARNING))
    return problems
