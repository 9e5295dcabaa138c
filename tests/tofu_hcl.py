"""Read tofu/ with python-hcl2: each module's variables, outputs, locals, calls and references,
and check a JSON value against an HCL type constraint (`map(object({a = string}))`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2

# var.x / local.x / module.x.output, also through an index or splat: module.x[*].output
REFERENCE = re.compile(r"\b(var|local|module)\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][\w-]*))?")
TYPE_TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|[(){}\[\],=])")
META_ARGUMENTS = {"source", "version", "count", "for_each", "depends_on", "providers"}


def unquote(text: str) -> str:
    """python-hcl2 keeps the quotes of labels and string literals."""
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def blocks(parsed: dict[str, Any], kind: str) -> dict[str, Any]:
    """Labelled blocks of one kind (`variable "x" {}` → {"x": body}) across a module's files."""
    return {unquote(label): body for block in parsed.get(kind, []) for label, body in block.items()}


def without_comments(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_comments(v) for k, v in value.items() if k != "__comments__"}
    if isinstance(value, list):
        return [without_comments(item) for item in value]
    return value


@dataclass(frozen=True)
class Module:
    path: Path
    variables: dict[str, Any]
    outputs: dict[str, Any]
    locals: set[str]
    calls: dict[str, Any]
    parsed: dict[str, list]

    def references(self) -> set[tuple[str, str, str]]:
        """(kind, name, attribute) of every var./local./module. reference; attribute may be ""."""
        return set(REFERENCE.findall(json.dumps(without_comments(self.parsed))))

    def required_variables(self) -> set[str]:
        return {name for name, body in self.variables.items() if "default" not in body}


def load_module(path: Path) -> Module:
    parsed: dict[str, list] = {}
    for file in sorted(path.glob("*.tf")):
        with file.open() as handle:
            for kind, items in hcl2.load(handle).items():
                parsed.setdefault(kind, []).extend(items if isinstance(items, list) else [items])
    local_names = {name for block in parsed.get("locals", []) for name in block
                   if not name.startswith("__")}
    return Module(path, blocks(parsed, "variable"), blocks(parsed, "output"), local_names,
                  blocks(parsed, "module"), parsed)


def parse_type(expression: str) -> Any:
    """`map(object({a = string}))` → ("map", ("object", {"a": "string"}))."""
    text = expression.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    tokens = TYPE_TOKEN.findall(text)
    value, rest = _type(tokens)
    assert not rest, f"unparsed type tokens {rest} in {expression}"
    return value


def _type(tokens: list[str]) -> tuple[Any, list[str]]:
    head, rest = tokens[0], tokens[1:]
    if head in ("string", "number", "bool", "any"):
        return head, rest
    assert rest[0] == "(", f"expected ( after {head}"
    if head == "object":
        assert rest[1] == "{"
        attributes, rest = {}, rest[2:]
        while rest[0] != "}":
            name, equals, rest = rest[0], rest[1], rest[2:]
            assert equals == "="
            attributes[name], rest = _type(rest)
            rest = rest[1:] if rest[0] == "," else rest
        assert rest[1] == ")"
        return ("object", attributes), rest[2:]
    inner, rest = _type(rest[1:])
    assert head in ("list", "set", "map") and rest[0] == ")", f"unsupported type {head}"
    return (head, inner), rest[1:]


def type_problems(value: Any, constraint: Any, where: str) -> list[str]:
    """Why `value` (decoded JSON) does not convert to `constraint`, strictly (no string↔number)."""
    if value is None or constraint == "any":
        return []
    if isinstance(constraint, str):
        python = {"string": (str,), "number": (int, float), "bool": (bool,)}[constraint]
        ok = isinstance(value, python) and not (constraint == "number" and isinstance(value, bool))
        return [] if ok else [f"{where}: {value!r} is not a {constraint}"]
    kind, inner = constraint
    if kind in ("list", "set"):
        if not isinstance(value, list):
            return [f"{where}: expected a {kind}"]
        return [p for i, item in enumerate(value) for p in type_problems(item, inner, f"{where}[{i}]")]
    if not isinstance(value, dict):
        return [f"{where}: expected a {kind}"]
    if kind == "map":
        return [p for key, item in value.items() for p in type_problems(item, inner, f"{where}.{key}")]
    problems = [f"{where}: attributes {sorted(set(value) ^ set(inner))} differ from the type"
                for _ in [0] if set(value) != set(inner)]
    return problems + [p for key in set(value) & set(inner)
                       for p in type_problems(value[key], inner[key], f"{where}.{key}")]
