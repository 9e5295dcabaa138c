"""Turn schema findings into diagnostics: rendered file:line:col of the field, and the catalog
file the object came from (its `infraforge.io/source` annotation) as a related position."""

from __future__ import annotations

import re
from collections.abc import Iterable

from infraforge.check.documents import ParsedFile
from infraforge.check.findings import INVALID, MISSING, FieldError, SchemaFinding
from infraforge.check.objects import RenderedObject
from infraforge.errors import Diagnostic, Position

ENTITY_API = "backstage.io/"
_EXTRA_KEYS = re.compile(r"dditional properties[^']*'([^']+)'")
# Errors kubeconform raises while decoding; the reader reports them with a better position.
_DECODE_ERRORS = ("error unmarshalling resource", "error converting YAML", "missing 'kind'",
                  "missing 'apiVersion'")
MISSING_HINT = ("fetch the schema into the store (`infraforge schemas sync`), or accept the kind "
                "unchecked with --allow-missing-schema {kind}")


def source_of(obj: RenderedObject) -> tuple[Position, ...]:
    return (Position(obj.source),) if isinstance(obj.source, str) and obj.source else ()


def finding_diagnostics(findings: Iterable[SchemaFinding], parsed: ParsedFile,
                        allow_missing: frozenset[str]) -> list[tuple[int | None, Diagnostic]]:
    """(document index, diagnostic) for every finding that is a problem."""
    unclaimed = list(parsed.objects)
    diagnostics: list[tuple[int | None, Diagnostic]] = []
    for finding in sorted(findings, key=_order):
        if finding.api_version.startswith(ENTITY_API):
            continue  # a Backstage entity in a mixed file: check.backstage judges it
        obj = _claim(finding, unclaimed)
        if obj is None and (parsed.diagnostics or finding.message.startswith(_DECODE_ERRORS)):
            continue  # a document the reader could not read: already reported there
        if finding.status == MISSING and allowed_missing(finding, allow_missing):
            continue
        index = obj.index if obj else None
        diagnostics.extend((index, d) for d in _diagnostics(finding, obj, parsed))
    return diagnostics


def allowed_missing(finding: SchemaFinding, allow_missing: frozenset[str]) -> bool:
    return bool({finding.kind, f"{finding.api_version}/{finding.kind}"} & allow_missing)


def _order(finding: SchemaFinding) -> tuple:
    """kubeconform reports in worker order; claim identical identities deterministically."""
    return (finding.index if finding.index is not None else -1, finding.api_version,
            finding.kind, finding.name, finding.status, finding.message)


def _claim(finding: SchemaFinding, unclaimed: list[RenderedObject]) -> RenderedObject | None:
    """The document a finding is about: by index, else the first one with its identity."""
    for obj in unclaimed:
        if finding.index is not None and obj.index != finding.index:
            continue
        if finding.index is None and (obj.body.get("apiVersion"), obj.kind, obj.name) != (
                finding.api_version, finding.kind, finding.name):
            continue
        unclaimed.remove(obj)
        return obj
    return None


def _diagnostics(finding: SchemaFinding, obj: RenderedObject | None,
                 parsed: ParsedFile) -> list[Diagnostic]:
    where = parsed.position(obj.index) if obj else Position(parsed.file.display, 1, 1)
    related = source_of(obj) if obj else ()
    what = obj.describe() if obj else finding.kind or "document"
    if finding.status == MISSING:
        return [Diagnostic("SCHEMA-MISSING", f"{what}: no schema for {finding.api_version} "
                           f"{finding.kind} in the schema store", where,
                           MISSING_HINT.format(kind=finding.kind), related=related)]
    if finding.status != INVALID or obj is None:
        return [Diagnostic("SCHEMA-ERROR", f"{what}: {finding.message}", where, related=related)]
    return [Diagnostic("SCHEMA-INVALID", f"{what}: {error.path or '/'}: {error.message}",
                       parsed.position(obj.index, _field_steps(error)), related=related)
            for error in finding.errors or (FieldError("", finding.message),)]


def _field_steps(error: FieldError) -> tuple[str | int, ...]:
    """Point an unknown-field error at the unknown key itself, not at its parent."""
    extra = _EXTRA_KEYS.search(error.message)
    return (*error.steps, extra.group(1)) if extra else error.steps
