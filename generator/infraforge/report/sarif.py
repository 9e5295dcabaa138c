"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning (one run, rules listed in the driver)."""

from __future__ import annotations

import json
from typing import Any

from infraforge import __version__
from infraforge.check.result import ValidationResult
from infraforge.check.rules import describe
from infraforge.errors import Diagnostic, Position, Severity

SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _location(position: Position) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": position.file}}
    if position.line:
        physical["region"] = {"startLine": position.line, "startColumn": position.col or 1}
    return {"physicalLocation": physical}


def _result(d: Diagnostic, rule_index: int) -> dict[str, Any]:
    text = d.message + (f"\nhint: {d.hint}" if d.hint else "")
    result: dict[str, Any] = {"ruleId": d.rule, "ruleIndex": rule_index,
                              "level": _LEVELS[d.severity], "message": {"text": text},
                              "locations": [_location(d.position)]}
    if d.related:
        result["relatedLocations"] = [
            {"id": i, **_location(p), "message": {"text": "catalog source of this object"}}
            for i, p in enumerate(d.related)]
    return result


def _rule(rule: str) -> dict[str, Any]:
    doc = describe(rule)
    return {"id": rule, **({"shortDescription": {"text": doc}} if doc else {})}


def sarif_document(result: ValidationResult) -> dict[str, Any]:
    rules = sorted({d.rule for d in result.diagnostics})
    index = {rule: i for i, rule in enumerate(rules)}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "infraforge", "version": __version__,
                            "rules": [_rule(r) for r in rules]}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index[d.rule]) for d in result.diagnostics],
    }]}


def render_sarif(result: ValidationResult) -> str:
    return json.dumps(sarif_document(result), indent=2) + "\n"
