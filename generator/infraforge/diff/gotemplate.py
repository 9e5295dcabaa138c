"""The part of ApplicationSet templating that InfraForge emits, evaluated exactly, offline.

goTemplate: `{{.key}}` and `{{.a.b}}` field references (Go's text/template semantics: a missing
key prints `<no value>`, or is an error under `missingkey=error`). Without goTemplate, ArgoCD's
flat `{{key}}` substitution (unknown keys are left as written). Anything else (functions,
pipelines, trim markers) cannot be previewed exactly and is refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_ACTION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_FIELD = re.compile(r"\s*((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*")
_FLAT = re.compile(r"\s*([A-Za-z0-9_.\-]+)\s*")
NO_VALUE = "<no value>"


class TemplateError(Exception):
    """The template cannot be expanded (exactly) with these parameters."""


def render_value(template: Any, params: dict[str, Any], go: bool, missing_error: bool) -> Any:
    """`template` with every string field expanded; maps and lists recursively."""
    return compile_template(template, go, missing_error)(params)


Expand = Callable[[dict[str, Any]], Any]


def compile_template(template: Any, go: bool, missing_error: bool) -> Expand:
    """A function of the parameters that expands `template`; the parts without `{{` are
    shared, not rebuilt, so a list of thousands of elements costs its templated strings only."""
    expand, _ = _compile(template, go, missing_error)
    return expand


def _compile(template: Any, go: bool, missing_error: bool) -> tuple[Expand, bool]:
    """(expand, constant)."""
    if isinstance(template, str) and "{{" in template:
        return (lambda params: render_string(template, params, go, missing_error)), False
    if isinstance(template, dict | list):
        items = list(template.items()) if isinstance(template, dict) else list(
            enumerate(template))
        parts = [(key, *_compile(value, go, missing_error)) for key, value in items]
        if all(constant for _, _, constant in parts):
            return (lambda params: template), True
        if isinstance(template, dict):
            return (lambda params: {key: expand(params) for key, expand, _ in parts}), False
        return (lambda params: [expand(params) for _, expand, _ in parts]), False
    return (lambda params: template), True


def render_string(text: str, params: dict[str, Any], go: bool, missing_error: bool) -> str:
    if "{{" not in text:
        return text
    if not go:
        flat = _flatten(params)
        return _ACTION.sub(lambda m: _flat_value(m, flat), text)
    return _ACTION.sub(lambda m: _go_value(m.group(1), params, missing_error), text)


def _go_value(action: str, params: dict[str, Any], missing_error: bool) -> str:
    field = _FIELD.fullmatch(action)
    if field is None:
        raise TemplateError(f"{{{{{action}}}}} is not a plain field reference; only "
                            "{{.key}} can be previewed offline")
    value: Any = params
    for key in field.group(1).split(".")[1:]:
        if not isinstance(value, dict) or key not in value:
            if missing_error:
                raise TemplateError(f"map has no entry for key {key!r} in "
                                    f"{{{{{action.strip()}}}}} (missingkey=error)")
            return NO_VALUE
        value = value[key]
    return _text(value, action)


def _text(value: Any, action: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)  # (floats are refused below: Go's %v spells them differently)
    if value is None:
        return NO_VALUE
    raise TemplateError(f"{{{{{action.strip()}}}}} is a {type(value).__name__}; Go would print "
                        "its map/slice syntax, which cannot be previewed exactly")


def _flat_value(match: re.Match[str], flat: dict[str, str]) -> str:
    key = _FLAT.fullmatch(match.group(1))
    if key is None or key.group(1) not in flat:
        return match.group(0)
    return flat[key.group(1)]


def _flatten(params: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in params.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = _text(value, key) if value is not None else ""
    return flat
