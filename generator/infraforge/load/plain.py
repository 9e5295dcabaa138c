"""The catalog's YAML limits and the YAML 1.2 core schema's typing of plain scalars.

Both readers share these: the fast path (yaml-rs, load/fast_yaml.py) and the hardened reader
(ruamel's composer, load/yaml_nodes.py). This module imports neither, so a run whose files all
come from the cache or the fast path never loads ruamel (20 ms).
"""

from __future__ import annotations

import re
from typing import Any

MAX_DEPTH = 48
MAX_SCALAR_CHARS = 64 * 1024

Path = tuple[str | int, ...]

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = re.compile(r"([-+]?\.(inf|Inf|INF))|\.(nan|NaN|NAN)")


def resolve_plain(value: str) -> Any:
    """Type a plain scalar by the YAML 1.2 core schema (so `no` and `on` stay strings)."""
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _INT.fullmatch(value):
        if value.startswith(("0o", "0x")):
            return int(value, 0)
        return int(value)
    if _FLOAT.fullmatch(value) or _SPECIAL_FLOAT.fullmatch(value):
        return float(value.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                     .replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan"))
    return value
