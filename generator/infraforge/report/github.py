"""`--format github`: GitHub Actions workflow commands, so problems show on the pull request."""

from __future__ import annotations

from infraforge.check.result import ValidationResult
from infraforge.errors import Diagnostic, Severity

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    parts = [f"file={_property(d.position.file)}"]
    if d.position.line:
        parts += [f"line={d.position.line}", f"col={d.position.col or 1}"]
    parts.append(f"title={_property(d.rule)}")
    body = d.message + "".join(f"\nsee also {p}" for p in d.related)
    body += f"\nhint: {d.hint}" if d.hint else ""
    return f"::{_COMMANDS[d.severity]} {','.join(parts)}::{_data(body)}"


def render_github(result: ValidationResult) -> str:
    lines = [annotation(d) for d in result.diagnostics]
    lines.append(result.summary())
    return "\n".join(lines) + "\n"
