"""One error type for everything a user can get wrong, carrying every diagnostic at once.

A `Diagnostic` is one problem at one place (`file:line:col: RULE-ID: message`, plus a hint).
Stages collect diagnostics instead of raising on the first one; a stage that cannot go on
raises `CatalogError` with all it found, and the CLI boundary prints them and exits 1.
Anything else that escapes is a bug in InfraForge (exit 3).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file; line and column are 1-based, 0 means unknown."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col or 1}"


@dataclass(frozen=True)
class Diagnostic:
    rule: str
    message: str
    position: Position
    hint: str = ""
    severity: Severity = Severity.ERROR
    related: tuple[Position, ...] = field(default=())

    def sort_key(self) -> tuple[str, int, int, str, str]:
        p = self.position
        return (p.file, p.line, p.col, self.rule, self.message)

    def format(self) -> str:
        text = f"{self.position}: {self.rule}: {self.message}"
        for other in self.related:
            text += f"\n    see also {other}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class CatalogError(Exception):
    """Bad input: one or more diagnostics, reported together, exit code 1."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
        super().__init__(f"{len(self.diagnostics)} problem(s) in the catalog")


class Collector:
    """Gathers diagnostics across a stage; `raise_if_errors` ends the stage if any is an error."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def error(self, rule: str, message: str, position: Position, hint: str = "") -> None:
        self.add(Diagnostic(rule, message, position, hint))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise CatalogError(self.diagnostics)
