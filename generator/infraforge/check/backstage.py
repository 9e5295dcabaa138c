"""Backstage catalog files: not kubeconform material (no Kubernetes schema has these kinds).

Each entity is checked against Backstage's own draft-07 entity schemas from the store's
`backstage/` folder, registered under their `$id`s because they refer to each other by id
(`Entity`, `common#relation`), and against Backstage's field-format rules (backstage_rules).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from infraforge.check.backstage_rules import entity_problems
from infraforge.check.documents import ParsedFile
from infraforge.check.objects import RenderedObject
from infraforge.errors import Diagnostic

API_PREFIX = "backstage.io/"
_EXTRA_KEY = re.compile(r"\('([^']+)' was unexpected\)")


def is_entity(obj: RenderedObject) -> bool:
    return str(obj.body.get("apiVersion", "")).startswith(API_PREFIX)


@cache
def kind_validators(folder: Path) -> tuple[tuple[frozenset[str], Draft7Validator], ...]:
    """One validator per kind schema, with the kinds it is for (its `kind` enum)."""
    schemas = [json.loads(p.read_bytes()) for p in sorted(folder.rglob("*.schema.json"))]
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s, default_specification=DRAFT7)) for s in schemas)
    found = []
    for schema in schemas:
        kinds = {k for part in schema.get("allOf", []) if isinstance(part, dict)
                 for k in part.get("properties", {}).get("kind", {}).get("enum", [])}
        if kinds:
            found.append((frozenset(kinds), Draft7Validator(schema, registry=registry)))
    return tuple(found)


def check_entities(parsed: ParsedFile, folder: Path) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for obj in parsed.objects:
        if not is_entity(obj):
            continue
        problems = [*_schema_problems(obj.body, folder), *entity_problems(obj.body)]
        found.extend(Diagnostic(rule, f"{obj.kind} {obj.name}: {message}",
                                parsed.position(obj.index, steps))
                     for rule, message, steps in problems)
    return found


def _schema_problems(entity: dict[str, Any], folder: Path) -> list[tuple[str, str, tuple]]:
    candidates = [v for kinds, v in kind_validators(folder) if entity.get("kind") in kinds]
    if not candidates:
        return [("BACKSTAGE-KIND", f"no Backstage schema for kind {entity.get('kind')!r}",
                 ("kind",))]
    best: list[Any] | None = None
    for validator in candidates:  # API and AiResource have several schemas: any may accept
        errors = sorted(validator.iter_errors(entity), key=lambda e: list(map(str, e.path)))
        if not errors:
            return []
        best = errors if best is None or len(errors) < len(best) else best
    return [("BACKSTAGE-SCHEMA", f"{_path(e)}: {e.message}", _steps(e)) for e in best or ()
            if not (e.validator == "additionalProperties" and not e.path)]  # root: ROOT-KEY


def _path(error: Any) -> str:
    return "/" + "/".join(map(str, error.path))


def _steps(error: Any) -> tuple:
    extra = _EXTRA_KEY.search(error.message) if error.validator == "additionalProperties" else None
    return (*error.path, extra.group(1)) if extra else tuple(error.path)
