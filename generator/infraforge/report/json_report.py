"""`--format json`: the whole result in a versioned, stable shape (sorted, no timestamps)."""

from __future__ import annotations

import json
from typing import Any

from infraforge import __version__
from infraforge.check.result import RESULT_VERSION, ValidationResult
from infraforge.errors import Diagnostic, Position


def _position(position: Position) -> dict[str, Any]:
    return {"file": position.file, "line": position.line, "column": position.col}


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    return {"rule": d.rule, "severity": d.severity.value, "message": d.message,
            **_position(d.position), "hint": d.hint, "related": [_position(p) for p in d.related]}


def result_document(result: ValidationResult) -> dict[str, Any]:
    return {
        "version": RESULT_VERSION,
        "tool": {"name": "infraforge", "version": __version__},
        "engine": result.engine,
        "kubernetesVersion": result.kubernetes_version,
        "valid": result.valid,
        "summary": {"documents": result.documents, "files": len(result.files),
                    "checkedFiles": len(result.files) - result.cached_files,
                    "cachedFiles": result.cached_files, "errors": result.errors,
                    "warnings": result.warnings},
        "policies": {"ran": result.policies_ran,
                     "settings": [{"rule": n.rule, "action": n.action, "reason": n.reason}
                                  for n in result.policy_notes]},
        "files": [{"path": f.path, "documents": f.documents, "errors": f.errors,
                   "warnings": f.warnings, "cached": f.cached} for f in result.files],
        "diagnostics": [_diagnostic(d) for d in result.diagnostics],
    }


def render_json(result: ValidationResult) -> str:
    return json.dumps(result_document(result), indent=2, sort_keys=False) + "\n"
