"""Check each document against its pydantic model; map every error to file:line:col.

pydantic reports a location path (`spec.database.sise`); the loader kept the position of every
node by path, so each error points at the offending key or value, with a "did you mean" for
misspelt keys and enum values.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from infraforge.errors import Diagnostic
from infraforge.load.yaml_source import YamlDocument
from infraforge.model.common import PATTERN_MEANINGS, Document
from infraforge.model.kinds import KINDS
from infraforge.secret_patterns import looks_like_credential

PATCH_KEY = "$patch"

_RULES = {
    "extra_forbidden": "UNKNOWN-KEY",
    "missing": "MISSING-KEY",
    "string_pattern_mismatch": "INVALID-VALUE",
    "literal_error": "INVALID-VALUE",
}


def parse_document(doc: YamlDocument) -> tuple[Document | None, list[Diagnostic]]:
    """Validate one YAML document as the kind it declares."""
    data = doc.data
    if not isinstance(data, dict):
        return None, [Diagnostic("WRONG-TYPE", "a catalog document must be a mapping",
                                 doc.position(()), "start the file with apiVersion: and kind:")]
    model = KINDS.get(data.get("kind"))  # type: ignore[arg-type]
    if model is None:
        return None, [_unknown_kind(doc, data.get("kind"))]
    try:
        # copying the document to drop markers costs a third of typing; most files have none
        typed = strip_patch_markers(data) if PATCH_KEY.encode() in doc.raw else data
        return model.model_validate(typed), []
    except ValidationError as exc:
        return None, [_diagnostic(doc, model, error) for error in exc.errors()]


def strip_patch_markers(value: Any) -> Any:
    """The merge markers (`$patch: replace|delete`) are not part of the model."""
    if isinstance(value, dict):
        return {k: strip_patch_markers(v) for k, v in value.items() if k != PATCH_KEY}
    if isinstance(value, list):
        return [strip_patch_markers(v) for v in value]
    return value


def _unknown_kind(doc: YamlDocument, kind: object) -> Diagnostic:
    choices = difflib.get_close_matches(str(kind), list(KINDS), n=1)
    hint = f"did you mean {choices[0]!r}?" if choices else f"one of: {', '.join(KINDS)}"
    where = doc.position(("kind",))
    return Diagnostic("UNKNOWN-KIND", f"unknown kind {kind!r}", where, hint)


def _diagnostic(doc: YamlDocument, model: type[BaseModel], error: Any) -> Diagnostic:
    loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    kind = error["type"]
    rule = _RULES.get(kind, "WRONG-TYPE" if kind.endswith("_type") else "INVALID-VALUE")
    dotted = ".".join(str(part) for part in loc)
    if kind == "extra_forbidden":
        return Diagnostic(rule, f"unknown key {dotted!r}", doc.key_position(loc),
                          _did_you_mean(str(loc[-1]), _allowed_keys(model, loc[:-1])))
    if kind == "missing":
        return Diagnostic(rule, f"missing required key {dotted!r}", doc.position(loc[:-1]))
    meaning = PATTERN_MEANINGS.get(error.get("ctx", {}).get("pattern", ""))
    reason, hint = (f"not {meaning[0]}", meaning[1]) if meaning else (error["msg"],
                                                                      _value_hint(error))
    message = f"{dotted or 'document'}: {reason}{_shown(loc, error.get('input'))}"
    return Diagnostic(rule, message, doc.position(loc), hint)


def _is_union_tag(part: object) -> bool:
    # pydantic adds the union member's type name to the loc ("str", "int", "constrained-str").
    return isinstance(part, str) and (part in {"str", "int", "float", "bool"} or "[" in part
                                      or part.startswith(("constrained-", "function-")))


def _value_hint(error: Any) -> str:
    if error["type"] == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",")]
        return _did_you_mean(str(error.get("input")), options) or f"expected {expected}"
    if error["type"] == "string_type" and isinstance(error.get("input"), int | float | bool):
        return "quote the value so YAML reads it as a string"
    return ""


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"allowed keys: {', '.join(sorted(options))}" if options else ""


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        current = _model_in(current, part)
        if current is None:
            return []
    return list(current.model_fields) if isinstance(current, type) else []


def _model_in(current: Any, part: Any) -> Any:
    if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
        return current if isinstance(part, int) else None
    field = current.model_fields.get(part) or next(
        (f for f in current.model_fields.values() if f.alias == part), None)
    # not a field: a dict key such as an environment name; the model stays the same
    return _inner_model(field.annotation) if field else current


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _shown(loc: tuple[Any, ...], value: Any) -> str:
    """The rejected value, for the message, unless it may be a secret: by where it stands, or
    by its shape wherever it stands (a token pasted into `image` must not reach a CI log)."""
    if _looks_secret(loc):
        return ""
    if looks_like_credential(repr(value)):
        return " (value not shown: it looks like a credential)"
    return f" (got {_short(value)})"


def _looks_secret(loc: tuple[Any, ...]) -> bool:
    return any(isinstance(p, str) and p.lower() in {"value", "password", "token"} for p in loc)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
