"""The in-process schema engine (`--engine fast`): jsonschema-rs over the same schema files.

It must judge documents as kubeconform does, which takes three adjustments (schemas.md §4.3):
- kubeconform validates with Go's RE2; a few CRD patterns (`(?i)` mid-pattern, `\\PC`) are
  rejected by jsonschema-rs's draft-4 meta-check, so such a schema is built as 2020-12, whose
  keyword semantics match for these files;
- formats are asserted, and `duration` accepts Go (`1h30m`) or ISO-8601 (`PT1H30M`) spellings;
- a node marked `x-kubernetes-preserve-unknown-fields` keeps unknown keys, so the
  `additionalProperties: false` the CRD converter added there is dropped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema_rs

from infraforge.check.findings import ERROR, INVALID, MISSING, FieldError, SchemaFinding
from infraforge.check.objects import RenderedObject
from infraforge.check.schema_store import SchemaStore

_GO_DURATION = re.compile(r"[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)")
_ISO_DURATION = re.compile(r"P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?"
                           r"(\d+(\.\d+)?S)?)?")


def is_duration(value: str) -> bool:
    return bool(_GO_DURATION.fullmatch(value) or _ISO_DURATION.fullmatch(value))


def open_preserved_nodes(schema: Any) -> Any:
    """Drop `additionalProperties: false` where the node preserves unknown fields (in place)."""
    if isinstance(schema, dict):
        if schema.get("x-kubernetes-preserve-unknown-fields") is True \
                and schema.get("additionalProperties") is False:
            del schema["additionalProperties"]
        for value in schema.values():
            open_preserved_nodes(value)
    elif isinstance(schema, list):
        for item in schema:
            open_preserved_nodes(item)
    return schema


def build_validator(path: Path) -> Any:
    schema = open_preserved_nodes(json.loads(path.read_bytes()))
    options = {"validate_formats": True, "formats": {"duration": is_duration}}
    try:
        return jsonschema_rs.Draft4Validator(schema, **options)
    except (jsonschema_rs.ValidationError, ValueError):
        return jsonschema_rs.Draft202012Validator(schema, **options)


class FastEngine:
    """Validates rendered objects one by one; compiled validators are kept per schema file."""

    def __init__(self, store: SchemaStore):
        self.store = store
        self._validators: dict[Path, Any] = {}

    def check(self, obj: RenderedObject, display: str) -> SchemaFinding | None:
        body = obj.body
        kind, api_version = body.get("kind"), body.get("apiVersion")
        found = SchemaFinding(display, ERROR, "", str(kind or ""), str(api_version or ""),
                              obj.name, obj.index)
        if not isinstance(kind, str) or not isinstance(api_version, str) or not kind \
                or not api_version:
            return None  # no type, no schema: check.metadata reports OBJECT-TYPE
        schema = self.store.resolve(api_version, kind)
        if schema is None:
            return _with(found, MISSING, f"could not find schema for {kind}")
        validator = self._validators.get(schema)
        if validator is None:
            validator = self._validators[schema] = build_validator(schema)
        errors = tuple(_field_error(e) for e in validator.iter_errors(body))
        if not errors:
            return None
        text = " - ".join(f"at '{e.path}': {e.message}" for e in errors)
        return SchemaFinding(display, INVALID, text, kind, api_version, obj.name, obj.index,
                             errors)


def _with(finding: SchemaFinding, status: str, message: str) -> SchemaFinding:
    return SchemaFinding(finding.file, status, message, finding.kind, finding.api_version,
                         finding.name, finding.index)


def _field_error(error: Any) -> FieldError:
    path = "".join(f"/{str(step).replace('~', '~0').replace('/', '~1')}"
                   for step in error.instance_path)
    return FieldError(path, error.message)
