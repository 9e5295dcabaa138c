"""What a schema engine reports about one document, before it becomes a Diagnostic.

kubeconform and the in-process fast path both produce SchemaFindings, so mapping a finding to
the rendered file, document, field and catalog source is written once (`schema_report`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

INVALID, ERROR, MISSING = "invalid", "error", "missing"


@dataclass(frozen=True)
class FieldError:
    """One violation: the JSON-pointer path of the offending value and the engine's message."""

    path: str
    message: str

    @property
    def steps(self) -> tuple[str | int, ...]:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in self.path.split("/")[1:]]
        return tuple(int(p) if p.isdigit() else p for p in parts)


@dataclass(frozen=True)
class SchemaFinding:
    """`file` is the display path; `index` is the document when the engine knows it."""

    file: str
    status: str
    message: str
    kind: str = ""
    api_version: str = ""
    name: str = ""
    index: int | None = None
    errors: tuple[FieldError, ...] = field(default=())
