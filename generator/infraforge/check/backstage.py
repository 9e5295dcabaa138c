"""Backstage catalog files: not kubeconform material (no Kubernetes schema has these kinds).

Each entity is checked against Backstage's own draft-07 entity schemas from the store's
`backstage/` folder, registered under their `$id`s because they refer to each other by id
(`Entity`, `common#relation`), and against Backstage's field-format rules (backstage_rules).

jsonschema-rs decides first whether an entity is valid (about 50x faster than `jsonschema`,
which took 0.4 ms an entity); only an entity it rejects is checked again with `jsonschema`,
whose messages the reports use. Their regex engines differ on non-ASCII word characters, so
an entity with any non-ASCII text always takes the `jsonschema` path.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from infraforge.check.backstage_rules import entity_problems
from infraforge.check.documents import ParsedFile
from infraforge.check.objects import RenderedObject
from infraforge.errors import Diagnostic

API_PREFIX = "backstage.io/"
_EXTRA_KEY = re.compile(r"\('([^']+)' was unexpected\)")


def is_entity(obj: RenderedObject) -> bool:
    return obj.api_version.startswith(API_PREFIX)


@cache
def entity_schemas(folder: Path) -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(p.read_bytes()) for p in sorted(folder.rglob("*.schema.json")))


def _kinds(schema: dict[str, Any]) -> frozenset[str]:
    """The kinds a schema is for (its `kind` enum)."""
    return frozenset(k for part in schema.get("allOf", []) if isinstance(part, dict)
                     for k in part.get("properties", {}).get("kind", {}).get("enum", []))


@cache
def kind_validators(folder: Path) -> tuple[tuple[frozenset[str], Any], ...]:
    """One `jsonschema` validator per kind schema, with the kinds it is for."""
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    schemas = entity_schemas(folder)
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s, default_specification=DRAFT7)) for s in schemas)
    return tuple((_kinds(s), Draft7Validator(s, registry=registry)) for s in schemas if _kinds(s))


@cache
def fast_validators(folder: Path) -> tuple[tuple[frozenset[str], Any], ...]:
    """The same, compiled by jsonschema-rs (formats not asserted, as `jsonschema` does not)."""
    schemas = entity_schemas(folder)
    by_id = {s["$id"]: s for s in schemas}

    def retrieve(uri: str) -> Any:  # the schemas refer to each other by bare `$id`
        return by_id[uri.rsplit("/", 1)[-1]]

    return tuple((_kinds(s), jsonschema_rs.Draft7Validator(s, retriever=retrieve,
                                                           validate_formats=False))
                 for s in schemas if _kinds(s))


def _for_kind(entity: dict[str, Any], validators: tuple[tuple[frozenset[str], Any], ...]) -> list:
    kind = entity.get("kind")
    return [v for kinds, v in validators if isinstance(kind, str) and kind in kinds]


def _fast_accepts(entity: dict[str, Any], folder: Path) -> bool:
    try:
        return _ascii(entity) and any(v.is_valid(entity)
                                      for v in _for_kind(entity, fast_validators(folder)))
    except (TypeError, ValueError):
        return False  # a value JSON has no type for: `jsonschema` will say what it makes of it


def _ascii(value: Any) -> bool:
    if isinstance(value, str):
        return value.isascii()
    if isinstance(value, dict):
        return all(_ascii(k) and _ascii(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_ascii(item) for item in value)
    return True


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
    if not _for_kind(entity, fast_validators(folder)):
        return [("BACKSTAGE-KIND", f"no Backstage schema for kind {entity.get('kind')!r}",
                 ("kind",))]
    if _fast_accepts(entity, folder):
        return []
    candidates = _for_kind(entity, kind_validators(folder))
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
