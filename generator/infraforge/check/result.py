"""The one result object every reporter reads: diagnostics, counts and per-file status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from infraforge.errors import Diagnostic, Severity

RESULT_VERSION = 1


@dataclass(frozen=True)
class FileResult:
    path: str
    documents: int
    errors: int
    warnings: int
    cached: bool


@dataclass(frozen=True)
class PolicyNote:
    """A Platform setting that disables or downgrades a policy rule, and why."""

    rule: str
    action: str
    reason: str


@dataclass(frozen=True)
class ValidationResult:
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[FileResult, ...]
    engine: str
    kubernetes_version: str
    policy_notes: tuple[PolicyNote, ...]
    policies_ran: bool
    schema_note: str = ""  # what kubeconform was given (shown with -v, in no report)

    @property
    def documents(self) -> int:
        return sum(f.documents for f in self.files)

    def count(self, severity: Severity) -> int:
        return sum(d.severity is severity for d in self.diagnostics)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def valid(self) -> bool:
        return self.errors == 0

    @property
    def cached_files(self) -> int:
        return sum(f.cached for f in self.files)

    def summary(self) -> str:
        verdict = "valid" if self.valid else "invalid"
        return (f"{verdict}: {self.documents} documents in {len(self.files)} files "
                f"({len(self.files) - self.cached_files} checked, {self.cached_files} from "
                f"cache); {self.errors} errors, {self.warnings} warnings")


def build_result(diagnostics: Iterable[Diagnostic], documents: dict[str, int],
                 cached: set[str], **context: object) -> ValidationResult:
    ordered = tuple(sorted(set(diagnostics), key=Diagnostic.sort_key))
    errors = Counter(d.position.file for d in ordered if d.severity is Severity.ERROR)
    warnings = Counter(d.position.file for d in ordered if d.severity is Severity.WARNING)
    files = tuple(FileResult(path, count, errors[path], warnings[path], path in cached)
                  for path, count in sorted(documents.items()))
    return ValidationResult(ordered, files, **context)  # type: ignore[arg-type]
