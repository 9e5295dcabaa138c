"""How every key and scalar is written: the quoting rules, and the caches both walks read.

Why the quoting is this conservative: the rendered repository is read by go-yaml v2 (ArgoCD,
kubectl, Helm), PyYAML (YAML 1.1) and ruamel.yaml (YAML 1.2). Those disagree about what `no`,
`on`, `0777`, `1:20` or `2001-12-14` mean. A string is written plain only when it matches a small
whitelist *and* cannot resolve to anything but a string in any of them; everything else is
double-quoted, so it means the same text for every reader.

The walk over a document (emit/walk.py in Python, emit/walker.c in C) takes rendered keys and
values from the caches here and asks this module about whatever they lack, which fills them: the
rules live in this module only. Keys are ordered kubectl style: `apiVersion`/`kind`/`metadata`/
`name` first in every mapping and the rest sorted, so the output is byte-for-byte deterministic
whatever the dict insertion order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

_PRIORITY_KEYS = ("apiVersion", "kind", "metadata", "name")
_PRIORITY_SET = frozenset(_PRIORITY_KEYS)

# The whitelist: printable ASCII without quotes, '#', brackets, tabs or any indicator as the first
# character. We only write block context, where ',' '%' '@' '=' and ':' mid-string are plain text.
_PLAIN_SHAPE = re.compile(r"[A-Za-z0-9_./][A-Za-z0-9 _./:@=+,%()-]*").fullmatch

# Over-approximates every int/float/timestamp syntax of YAML 1.1, YAML 1.2 and go's
# strconv.ParseInt(base 0)/ParseFloat (hex floats use 'p'): a digit-led string made only of these
# characters *might* be a number or a date somewhere, so it is quoted. `10Gi`, `500m` stay plain.
_NUMBER_LIKE = re.compile(r"[0-9][0-9a-fA-F_.:+ xXoOpPtTzZ-]*").fullmatch

# Compared lower-cased: YAML 1.1 / go-yaml v2 bools, nulls, special floats, merge and value keys.
# Quoting every casing (e.g. `yEs`) costs nothing and avoids tracking each reader's exact list.
_BOOL_WORDS = ("y", "n", "yes", "no", "on", "off", "true", "false")
_OTHER_WORDS = ("null", "~", "", ".inf", ".nan", "<<", "=")
_RESERVED_WORDS = frozenset((*_BOOL_WORDS, *_OTHER_WORDS))

# '.5' and '._5' are floats for some resolvers (ruamel 1.1/1.2 accept `\.[0-9_]+`).
_AFTER_DOT_NUMERIC = frozenset("0123456789_")

# Literal block scalars only for text every reader keeps verbatim: printable ASCII lines, the
# first one starting with a visible character (no indentation indicator needed).
_LITERAL_SHAPE = re.compile(r"[\x21-\x7e][\x20-\x7e\n]*").fullmatch

# Everything outside printable ASCII, plus '"' and '\\', is escaped inside double quotes.
_NEEDS_ESCAPE = re.compile(r"[^\x20\x21\x23-\x5b\x5d-\x7e]")
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}

# Readers only accept implicit ("key: value") keys up to 1024 characters; longer ones need "? key".
_MAX_IMPLICIT_KEY = 1000

# Manifests repeat the same keys and values constantly, so their rendering is memoised: keys as
# "key:", str values as " value\n" (ready to follow a key or dash). Bounded by clearing when full
# (cheaper than LRU bookkeeping on every hit); long strings rarely repeat and would pin memory.
_CACHE_LIMIT = 65536
_CACHEABLE_LEN = 256
VALUE_CACHE: dict[str, str] = {}
KEY_CACHE: dict[str, str] = {}
LAYOUT_CACHE: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}


def walker_hooks() -> dict[str, Any]:
    """What emit/walker.c needs to walk documents as emit/walk.py does: the caches it reads, and
    the functions that decide what the caches do not know yet (and fill them)."""
    return {"values": VALUE_CACHE, "layouts": LAYOUT_CACHE, "layout_miss": layout_miss,
            "scalar_text": scalar_text, "coerce": coerce, "as_document": as_document}


def as_document(obj: Any) -> dict[str, Any]:
    if not isinstance(obj, Mapping):
        raise TypeError(f"a YAML document must be a mapping, got {type(obj).__name__}")
    return obj if type(obj) is dict else dict(obj)


def scalar_text(v: Any, child: int) -> str:
    """The text after "key:" or "-" for a str the value cache lacks, or a float (emit/walker.c
    asks this for every such value)."""
    return str_text(v, child) if type(v) is str else f" {float_text(v)}\n"


def str_text(s: str, child: int) -> str:
    """Cache-miss path for a str value: plain, double-quoted, or a `|`/`|-` block literal."""
    if _is_plain_safe(s):
        text = f" {s}\n"
    elif "\n" in s and _literal_ok(s):
        # Not cached: the block's indentation depends on where it appears.
        return literal_text(s, child)
    else:
        text = f" {_double_quote(s)}\n"
    _remember(VALUE_CACHE, s, text)
    return text


def literal_text(s: str, child: int) -> str:
    """`s` as a block literal; `_literal_ok` already proved it reads back exactly."""
    pad = " " * child
    if s.endswith("\n"):
        header, body = "|", s[:-1]  # clip chomping restores exactly one final newline
    else:
        header, body = "|-", s  # strip chomping: no final newline
    # Empty lines are written without indentation so no line carries trailing spaces.
    lines = "".join(f"{pad}{line}\n" if line else "\n" for line in body.split("\n"))
    return f" {header}\n{lines}"


def layout_miss(layout: tuple[Any, ...], pad: str) -> tuple[tuple[str, str], ...]:
    """(key, rendered "key:") pairs: priority keys first, then the rest in plain string order."""
    keys = list(layout)
    rendered = [KEY_CACHE.get(k) or _key_miss(k, pad) for k in keys]  # TypeError for non-str keys
    order = dict(zip(keys, rendered, strict=True))
    keys.sort()
    if not _PRIORITY_SET.isdisjoint(keys):
        head = [k for k in _PRIORITY_KEYS if k in order]
        keys = head + [k for k in keys if k not in _PRIORITY_SET]
    pairs = tuple((k, order[k]) for k in keys)
    # Explicit "? key" renderings embed this mapping's indentation, so they are not shared.
    if all(kt[0] != "?" for kt in rendered):
        _remember_layout(layout, pairs)
    return pairs


def _remember_layout(layout: tuple[Any, ...], pairs: tuple[tuple[str, str], ...]) -> None:
    if len(LAYOUT_CACHE) >= _CACHE_LIMIT:
        LAYOUT_CACHE.clear()
    LAYOUT_CACHE[layout] = pairs


def coerce(v: Any) -> Any:
    """Map subclasses (StrEnum, IntEnum, OrderedDict, ...) to their exact base type."""
    if isinstance(v, str):
        return str.__str__(v)
    if isinstance(v, int):
        return int.__index__(v)
    if isinstance(v, float):
        return float.__float__(v)
    if isinstance(v, Mapping):
        return dict(v)
    if isinstance(v, (list, tuple)):
        return list(v)
    raise TypeError(f"cannot emit {type(v).__name__} as YAML: {v!r}")


def float_text(f: float) -> str:
    if not math.isfinite(f):
        raise ValueError(f"cannot emit non-finite float {f!r}: YAML readers disagree on it")
    text = repr(f)
    # YAML 1.1 (PyYAML) only reads exponent floats with a '.' in the mantissa: '1e-05' would be
    # a string there, so write '1.0e-05'. repr always signs the exponent, which 1.1 also needs.
    if "e" in text and "." not in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def _is_plain_safe(s: str) -> bool:
    """True when `s` written unquoted reads back as this same string in every common reader."""
    if not _PLAIN_SHAPE(s) or s.lower() in _RESERVED_WORDS:
        return False
    # ': ' would start a mapping value, a trailing ':' a key, a trailing space is stripped.
    if s[-1] in " :" or ": " in s:
        return False
    if s[0] == ".":
        # "... x" in column 0 would end the document.
        return s[1:2] not in _AFTER_DOT_NUMERIC and not s.startswith("...")
    return not _NUMBER_LIKE(s)


def _literal_ok(s: str) -> bool:
    """Block literal only if `|` (one final newline) or `|-` (none) restores `s` exactly."""
    return _LITERAL_SHAPE(s) is not None and " \n" not in s and not s.endswith((" ", "\n\n"))


def _double_quote(s: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, s) + '"'


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    short = _SHORT_ESCAPES.get(char)
    if short is not None:
        return short
    code = ord(char)
    # \U for astral characters: a \u surrogate pair would be read back as two lone surrogates.
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _key_miss(k: Any, pad: str) -> str:
    """Render `k` followed by ':'; `pad` is the mapping's indentation (for explicit keys)."""
    if type(k) is not str:
        if not isinstance(k, str):
            raise TypeError(f"mapping keys must be str, got {type(k).__name__}: {k!r}")
        k = str.__str__(k)
    text = k if _is_plain_safe(k) else _double_quote(k)
    if len(text) > _MAX_IMPLICIT_KEY:
        return f"? {text}\n{pad}:"
    text += ":"
    _remember(KEY_CACHE, k, text)
    return text


def _remember(cache: dict[str, str], s: str, text: str) -> None:
    if len(s) <= _CACHEABLE_LEN:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[s] = text
