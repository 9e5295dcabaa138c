"""What a schema node says about a string, where that can be decided here exactly as kubeconform
decides it (santhosh-tekuri/jsonschema v6, draft 4):
- `type` without `string`: no string passes;
- `minLength`/`maxLength`: counted in code points (its strValidate uses utf8.RuneCount, as
  Python's len counts a str);
- `enum`/`const`: a string equals only an equal string;
- `anyOf`/`allOf`/`oneOf`/`not` over such nodes (the int-or-string form,
  `anyOf: [{type: integer}, {type: string}]`, passes every string);
- keywords that judge only objects, arrays or numbers, annotations and `x-...` extensions
  (which the validator ignores) say nothing about a string.
Anything else (pattern, format, $ref, if/then/else, an unknown keyword) is not decided here,
and the string stays in the key verbatim. `const` is not a draft-4 keyword: deciding it anyway
can only keep strings apart that kubeconform would not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

StringRule = Callable[[str], bool]


def ALWAYS(text: str) -> bool:  # a constant that is also a rule
    return True


def NEVER(text: str) -> bool:
    return False


_SAY_NOTHING = frozenset({
    "description", "title", "default", "example", "examples", "$schema", "$comment", "nullable",
    "readOnly", "writeOnly", "deprecated", "properties", "additionalProperties",
    "patternProperties", "required", "minProperties", "maxProperties", "dependencies", "items",
    "additionalItems", "minItems", "maxItems", "uniqueItems", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})


def string_rule(schema: Any) -> StringRule | None:
    """Whether a string passes `schema`, or None when that is not decided here."""
    if not isinstance(schema, dict):
        return None
    kind = schema.get("type", "string")
    if kind != "string" and not (isinstance(kind, list) and "string" in kind):
        return NEVER
    rules = []
    for keyword, value in schema.items():
        if keyword == "type" or keyword in _SAY_NOTHING or keyword.startswith("x-"):
            continue
        rule = _keyword_rule(keyword, value)
        if rule is None:
            return None
        rules.append(rule)
    return _all_of([r for r in rules if r is not ALWAYS])


def _keyword_rule(keyword: str, value: Any) -> StringRule | None:
    if keyword in ("minLength", "maxLength"):
        if type(value) is not int:
            return None
        return (lambda text: len(text) >= value) if keyword == "minLength" \
            else (lambda text: len(text) <= value)
    if keyword == "enum" and isinstance(value, list):
        return frozenset(v for v in value if isinstance(v, str)).__contains__
    if keyword == "const":
        return (lambda text: text == value) if isinstance(value, str) else NEVER
    if keyword in ("anyOf", "allOf", "oneOf") and isinstance(value, list) and value:
        branches = [string_rule(branch) for branch in value]
        if None in branches:
            return None
        return {"anyOf": _any_of, "allOf": _all_of, "oneOf": _one_of}[keyword](branches)
    if keyword == "not":
        inner = string_rule(value)
        return None if inner is None else (lambda text: not inner(text))
    return None


def _all_of(rules: list[StringRule]) -> StringRule:
    if NEVER in rules:
        return NEVER
    rules = [r for r in rules if r is not ALWAYS]
    if not rules:
        return ALWAYS
    return rules[0] if len(rules) == 1 else (lambda text: all(r(text) for r in rules))


def _any_of(rules: list[StringRule]) -> StringRule:
    if ALWAYS in rules:
        return ALWAYS
    rules = [r for r in rules if r is not NEVER]
    if not rules:
        return NEVER
    return rules[0] if len(rules) == 1 else (lambda text: any(r(text) for r in rules))


def _one_of(rules: list[StringRule]) -> StringRule:
    rules = [r for r in rules if r is not NEVER]
    if not rules:
        return NEVER
    if len(rules) == 1:
        return rules[0]
    return lambda text: sum(r(text) for r in rules) == 1
