"""A fast reader for the YAML that InfraForge's own emitter writes (and nothing else).

The general YAML loaders need milliseconds per rendered object; a diff or a cost estimate of a
large platform parses thousands. The emitter's output is a narrow, regular subset (block style,
2-space indentation, sequences indented under their key, compact `- key: value` items, plain
scalars only where they cannot mean anything but a string, double quotes otherwise, `|`/`|-`
literals), so a line reader is exact for it and ~50x faster. Anything outside that subset raises
`NotCanonical`, and the caller falls back to a real YAML parser.
"""

from __future__ import annotations

import re
from typing import Any


class NotCanonical(ValueError):
    """The text uses YAML this reader does not know; parse it with a full YAML loader."""


_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+(e[-+][0-9]+)?")
# The emitter writes a string plain only in this shape, and never when it could read as a number,
# a date, a bool/null or a special float in YAML 1.1 or 1.2 (those it double-quotes).
_PLAIN = re.compile(r"[A-Za-z0-9_./][A-Za-z0-9 _./:@=+,%()-]*")
_MAYBE_SPECIAL = re.compile(r"[0-9][0-9a-fA-F_.:+ xXoOpPtTzZ-]*|\.[0-9_].*|\.\.\..*")
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "<<",
                       "=", ".inf", ".nan"})
_ESCAPE = re.compile(r'\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|["\\nrt])')
_SHORT = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def read(text: str, skip: frozenset[str] = frozenset()) -> Any:
    """One document written by `infraforge.emit.yaml.dump_document`; the nested values of
    keys in `skip` are passed over unread (None), for callers that only need a few fields."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if lines == ["{}"]:
        return {}
    value, end = _Reader(lines, skip).block(0, 0)
    if end != len(lines):
        raise NotCanonical(f"unexpected line {end + 1}")
    return value


class _Reader:
    def __init__(self, lines: list[str], skip: frozenset[str]):
        self.lines, self.skip = lines, skip

    def block(self, i: int, indent: int) -> tuple[Any, int]:
        line = self.lines[i] if i < len(self.lines) else ""
        if line[indent:indent + 1] == "-" and not line[:indent].strip():
            return self.sequence(i, indent)
        return self.mapping(i, indent)

    def mapping(self, i: int, indent: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        pad = " " * indent
        while i < len(self.lines):
            line = self.lines[i]
            if not line.startswith(pad) or line[indent:indent + 1] in (" ", "-", ""):
                break
            key, rest = _split_entry(line[indent:])
            if key in result:
                raise NotCanonical(f"duplicate key {key!r}")
            if key in self.skip and rest == "":
                result[key], i = None, self.past(i + 1, " " * (indent + 2))
                continue
            result[key], i = self.value(rest, i, indent)
        if not result:
            raise NotCanonical(f"expected a mapping at line {i + 1}")
        return result, i

    def sequence(self, i: int, indent: int) -> tuple[list[Any], int]:
        result: list[Any] = []
        dash = " " * indent + "- "
        while i < len(self.lines) and self.lines[i].startswith(dash):
            item = self.lines[i][len(dash):]
            if item.startswith(("- ", "? ")):
                raise NotCanonical("nested compact sequence or explicit key")
            if _is_entry(item):
                # a compact mapping: its first key sits on the dash line, the rest below it
                self.lines[i] = " " * (indent + 2) + item
                value, i = self.mapping(i, indent + 2)
            else:
                value, i = self.value(" " + item, i, indent)
            result.append(value)
        return result, i

    def value(self, rest: str, i: int, indent: int) -> tuple[Any, int]:
        """The value after `key:` (or `-`) on line i; nested content sits at indent + 2."""
        if rest == "":
            return self.block(i + 1, indent + 2)
        if rest[0] != " ":
            raise NotCanonical(f"no space after ':' on line {i + 1}")
        token = rest[1:]
        if token in ("|", "|-"):
            return self.literal(i + 1, indent + 2, keep_newline=token == "|")
        return scalar(token), i + 1

    def past(self, i: int, pad: str) -> int:
        """The first line after a nested block (its lines all start with `pad`)."""
        while i < len(self.lines) and (self.lines[i].startswith(pad) or self.lines[i] == ""):
            i += 1
        return i

    def literal(self, i: int, indent: int, keep_newline: bool) -> tuple[str, int]:
        pad = " " * indent
        body: list[str] = []
        while i < len(self.lines) and (self.lines[i] == "" or self.lines[i].startswith(pad)):
            body.append(self.lines[i][indent:])
            i += 1
        if not body or body[-1] == "":
            raise NotCanonical("empty or blank-ended literal block")
        return "\n".join(body) + ("\n" if keep_newline else ""), i


def _is_entry(text: str) -> bool:
    if text.startswith('"'):
        quoted = _QUOTED.match(text)
        return quoted is not None and text[quoted.end():quoted.end() + 1] == ":"
    return ": " in text or text.endswith(":")


def _split_entry(text: str) -> tuple[str, str]:
    if text.startswith('"'):
        quoted = _QUOTED.match(text)
        if quoted is None or text[quoted.end():quoted.end() + 1] != ":":
            raise NotCanonical(f"bad quoted key in {text[:40]!r}")
        return _unquote(quoted.group()), text[quoted.end() + 1:]
    at = text.find(": ")
    if at < 0:
        if not text.endswith(":"):
            raise NotCanonical(f"not a mapping entry: {text[:40]!r}")
        at = len(text) - 1
    key = text[:at]
    known = _KEYS.get(key, _KEYS)
    if known is _KEYS:
        if len(_KEYS) >= _CACHE_LIMIT:
            _KEYS.clear()
        known = _KEYS[key] = _plain(key)
    if known is None:
        raise NotCanonical(f"key {key!r} is not a canonical plain key")
    return key, text[at + 1:]


_SCALARS: dict[str, Any] = {}  # token → value; rendered trees repeat the same few thousand
_KEYS: dict[str, str | None] = {}
_CACHE_LIMIT = 100_000


def scalar(token: str) -> Any:
    if token in ("{}", "[]"):
        return {} if token == "{}" else []  # fresh containers, never shared through the cache
    cached = _SCALARS.get(token, _SCALARS)
    if cached is not _SCALARS:
        return cached
    value = _scalar(token)
    if len(_SCALARS) >= _CACHE_LIMIT:
        _SCALARS.clear()
    _SCALARS[token] = value
    return value


def _scalar(token: str) -> Any:
    if token.startswith('"'):
        if _QUOTED.fullmatch(token) is None:
            raise NotCanonical(f"bad quoted scalar {token[:40]!r}")
        return _unquote(token)
    if token in ("true", "false"):
        return token == "true"
    if token == "null":
        return None
    if _INT.fullmatch(token):
        return int(token)
    if _FLOAT.fullmatch(token):
        return float(token)
    value = _plain(token)
    if value is None:
        raise NotCanonical(f"{token[:40]!r} is not a canonical scalar")
    return value


def _plain(token: str) -> str | None:
    """The string a plain token stands for, or None if a reader might see something else."""
    if not _PLAIN.fullmatch(token) or token.lower() in _RESERVED or _MAYBE_SPECIAL.fullmatch(
            token) or token[-1] in " :" or ": " in token:
        return None
    return token


def _unquote(quoted: str) -> str:
    body = quoted[1:-1]
    return _ESCAPE.sub(_unescape, body) if "\\" in body else body


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return _SHORT[code] if len(code) == 1 else chr(int(code[1:], 16))
