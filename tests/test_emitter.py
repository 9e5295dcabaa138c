"""The manifest emitter must mean the same thing to every reader of the rendered repo.

Each case is re-read with ruamel.yaml (YAML 1.2), PyYAML's pure-Python loader (YAML 1.1) and
PyYAML's libyaml loader (the scanner go-yaml is ported from). go-yaml v2's resolver is modelled
below, because a plain `yes` that Python reads as a string would still be `true` for ArgoCD.
"""

from __future__ import annotations

import enum
import math
import re
from collections import OrderedDict
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from infraforge.emit.yaml import dump_document, dump_documents

_RUAMEL = YAML(typ="safe")

# fmt: off
TRICKY_STRINGS = [
    "no", "on", "y", "Y", "n", "N", "~", "null", "Null", "NULL", "0777", "0o17", "0x1F", "0b101",
    "1:20", "190:20:30", "1e3", "1.10", ".inf", "-.inf", "+.inf", ".NaN", ".5", "._5", "5.",
    "2001-12-14", "2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43.10-05:00", "", " ",
    "  padded ", "trailing ", "a: b", "a:", "a #b", "#x", "- x", "-", "--- x", "... x", "...",
    "? x", ": x", "*a", "&a", "!!str", "!x", "%x", "@x", "`x", "'x'", '"x"', "|x", ">x",
    "[x]", "{x}", ",x", "{{ 7*7 }}", "x\n  namespace: kube-system", "line1\nline2\n",
    "line1\nline2", "line1\n\nline3\n", "two trailing\n\n", "\n", "\nleading newline",
    " leading space\nline2\n", "trailing space \nline2\n", "cr\r\nlf\n", "tab\there", "é",
    "emoji \U0001f600", "\u2028", "\u2029", "\x85", "\ufeff", "\x00", "\x7f", "back\\slash",
    "=", "<<", "true", "False", "TRUE", "yes", "Yes", "OFF", "1_000", "+1", "-1", "+12.5",
    "12:30:45", "0x1p-2", "Infinity", "NaN", "nan", "inf", "1.25.3", "10Gi", "500m",
    "0.0.0.0/0", "nginx:1.25", "http://example.com/a?b=c", "a,b", "50%", "f(x)", "user@host",
    "a=b", "_x", "/etc/config", ".", "..", ".gitignore", "a  b", "a :b", "x" * 300,
]

SCALARS: list[Any] = [
    0, 1, -1, 10**30, True, False, None, 0.0, -0.0, 1.0, 1.5, -2.25, 1e-05, 1e16, 5e-324,
    1.7976931348623157e308, 0.1,
]
# fmt: on


def _normalise(value: Any) -> Any:
    """What a reader gives back: tuples become lists."""
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    return value


def _load_all_readers(text: str) -> list[Any]:
    return [
        _RUAMEL.load(text),
        yaml.safe_load(text),
        yaml.load(text, Loader=yaml.CSafeLoader),
    ]


# go-yaml v2 resolve(): a fixed table of words, then ints/floats/timestamps for plain scalars
# that start with a sign, digit or '.'. Modelled generously (Python's parsers accept a superset
# of Go's), which only makes the check stricter.
# fmt: off
_GO_V2_BOOL_NULL = (
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
    "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    "~", "null", "Null", "NULL", "",
)
_GO_V2_WORDS = frozenset((
    *_GO_V2_BOOL_NULL,
    ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
    "-.inf", "-.Inf", "-.INF", "<<",
))
# fmt: on
_GO_OCTAL = re.compile(r"[-+]?0[0-7]+")
_GO_TIMESTAMP = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def _go_v2_reads_as_string(plain: str) -> bool:
    if plain in _GO_V2_WORDS:
        return False
    if not plain or plain[0] not in "+-.0123456789":
        return True
    digits = plain.replace("_", "")
    if _GO_OCTAL.fullmatch(digits) or _GO_TIMESTAMP.match(plain):
        return False
    for parse in (lambda s: int(s, 0), float, float.fromhex):
        try:
            parse(digits)
        except ValueError:
            continue
        return False
    return True


def _plain_scalars(text: str) -> list[str]:
    """Every scalar (keys included) that the emitter wrote without quotes or block style."""
    return [
        event.value
        for event in yaml.parse(text, Loader=yaml.CSafeLoader)
        if isinstance(event, yaml.ScalarEvent) and event.style is None
    ]


def _assert_round_trips(data: dict[str, Any]) -> str:
    text = dump_document(data)
    assert text.endswith("\n") and not text.startswith("---")
    expected = _normalise(data)
    for loaded in _load_all_readers(text):
        assert loaded == expected, text
    for plain in _plain_scalars(text):
        if not isinstance(plain, str) or plain in {"true", "false", "null"}:
            continue
        if re.fullmatch(r"-?\d+|-?\d+\.\d+(e[-+]\d+)?", plain):
            continue  # the emitter's own ints and floats
        assert _go_v2_reads_as_string(plain), f"go-yaml v2 would not read {plain!r} as a string"
    return text


@pytest.mark.parametrize("s", TRICKY_STRINGS, ids=repr)
def test_tricky_string_round_trips_as_value_key_and_item(s: str) -> None:
    _assert_round_trips({"value": s, "list": [s, [s]], "nested": {"k": s}, "items": [{"k": s}]})
    _assert_round_trips({s: s, "m": {s: [s]}})


@pytest.mark.parametrize("value", SCALARS, ids=repr)
def test_scalar_round_trips(value: Any) -> None:
    text = _assert_round_trips({"v": value, "l": [value]})
    for loaded in _load_all_readers(text):
        assert type(loaded["v"]) is type(value)
        if isinstance(value, float):
            assert math.copysign(1.0, loaded["v"]) == math.copysign(1.0, value)


def test_float_exponent_has_a_dot_for_yaml_1_1() -> None:
    assert dump_document({"a": 1e-05, "b": 1e16, "c": 1.5e300}) == (
        "a: 1.0e-05\nb: 1.0e+16\nc: 1.5e+300\n"
    )


@pytest.mark.parametrize("word", _GO_V2_BOOL_NULL)
def test_go_yaml_v2_bool_and_null_words_are_quoted(word: str) -> None:
    assert dump_document({"v": word}) == f'v: "{word}"\n'
    assert dump_document({word: 1}) == f'"{word}": 1\n'
    assert dump_document({"l": [word]}) == f'l:\n  - "{word}"\n'


# fmt: off
PLAIN_OR_QUOTED = [
    ("nginx:1.25", True), ("500m", True), ("10Gi", True), ("0.0.0.0/0", True),
    ("app.kubernetes.io/name", True), ("http://x:8080/y", True), ("a b", True),
    ("8080", False), ("1.25.3", False), ("0777", False), ("1:20", False),
    ("2001-12-14", False), ("no", False), ("a: b", False), ("a:", False), ("é", False),
]
# fmt: on


@pytest.mark.parametrize(("s", "plain"), PLAIN_OR_QUOTED)
def test_plain_only_when_provably_safe(s: str, plain: bool) -> None:
    assert dump_document({"v": s}) == (f"v: {s}\n" if plain else f"v: {_quoted(s)}\n")


def _quoted(s: str) -> str:
    return '"' + s.encode("ascii", "backslashreplace").decode().replace('"', '\\"') + '"'


def test_escapes_are_ascii_and_use_long_forms_for_astral_characters() -> None:
    text = dump_document({"v": 'é\u2028\x00\x7f"\\\t\r\U0001f600'})
    assert text == 'v: "\\xe9\\u2028\\x00\\x7f\\"\\\\\\t\\r\\U0001f600"\n'
    assert text.isascii()


def test_literal_block_for_readable_multiline_text() -> None:
    data = {"data": {"clip": "a: 1\n# not a comment\n\n  indented\n", "strip": "x\ny"}}
    text = _assert_round_trips(data)
    assert text == (
        "data:\n"
        "  clip: |\n"
        "    a: 1\n"
        "    # not a comment\n"
        "\n"
        "      indented\n"
        "  strip: |-\n"
        "    x\n"
        "    y\n"
    )


@pytest.mark.parametrize(
    "s", ["a\n\n", " lead\nx\n", "trail \nx\n", "x\ny ", "tab\tx\ny", "é\nx", "a\r\nb", "\nx"]
)
def test_multiline_text_a_literal_would_change_is_quoted(s: str) -> None:
    assert dump_document({"v": s}).startswith('v: "')
    _assert_round_trips({"v": s, "l": [s]})


def test_key_order_priority_then_sorted_at_every_level() -> None:
    inner = {"zeta": 1, "name": "svc", "alpha": 2, "kind": "k", "Beta": 3, "apiVersion": "v"}
    data = {"spec": [dict(reversed(inner.items()))], **inner, "metadata": {"b": 1, "name": "x"}}
    text = dump_document(data)
    top = [line.split(":")[0] for line in text.splitlines() if not line.startswith(" ")]
    assert top == ["apiVersion", "kind", "metadata", "name", "Beta", "alpha", "spec", "zeta"]
    assert "metadata:\n  name: x\n  b: 1\n" in text
    assert "  - apiVersion: v\n    kind: k\n    name: svc\n    Beta: 3\n" in text
    assert dump_document(dict(reversed(list(data.items())))) == text


def test_exact_output_for_a_small_deployment() -> None:
    deployment = {
        "spec": {
            "template": {
                "spec": {
                    "volumes": [],
                    "containers": [
                        {
                            "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                            "image": "registry.local/api:1.2.3",
                            "name": "api",
                            "env": [{"value": "on", "name": "FEATURE"}],
                            "args": ["--port", "8080"],
                        }
                    ],
                    "nodeSelector": {},
                }
            },
            "replicas": 2,
            "paused": False,
        },
        "metadata": {"labels": {"app.kubernetes.io/name": "api"}, "name": "api"},
        "kind": "Deployment",
        "apiVersion": "apps/v1",
    }
    assert dump_document(deployment) == (
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata:\n"
        "  name: api\n"
        "  labels:\n"
        "    app.kubernetes.io/name: api\n"
        "spec:\n"
        "  paused: false\n"
        "  replicas: 2\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "        - name: api\n"
        "          args:\n"
        '            - "--port"\n'
        '            - "8080"\n'
        "          env:\n"
        "            - name: FEATURE\n"
        '              value: "on"\n'
        "          image: registry.local/api:1.2.3\n"
        "          ports:\n"
        "            - containerPort: 8080\n"
        "              protocol: TCP\n"
        "      nodeSelector: {}\n"
        "      volumes: []\n"
    )
    _assert_round_trips(deployment)


def test_containers_empty_nested_and_deep() -> None:
    deep: dict[str, Any] = {"leaf": ["x", 1]}
    for i in range(60):  # deeper than the prebuilt indentation table
        deep = {f"l{i}": deep, "list": [[deep]] if i % 10 == 0 else []}
    data = {"e": {}, "l": [], "ll": [[], {}, [[]], [{}], [[1, [2]]]], "deep": deep, "t": ("a", 1)}
    _assert_round_trips(data)


def test_keys_longer_than_the_implicit_key_limit_use_explicit_form() -> None:
    long_key = "k" * 1100
    data = {long_key: {"a": 1}, "x": [{long_key: [1, 2], "z": 1}], "q": {"é" * 300: "v"}}
    text = _assert_round_trips(data)
    assert f"? {long_key}\n:\n  a: 1\n" in text


def test_documents_are_separated_not_prefixed() -> None:
    assert dump_documents([]) == ""
    assert dump_documents([{"a": 1}]) == "a: 1\n"
    assert dump_documents(iter([{"a": 1}, {}, {"b": [1]}])) == "a: 1\n---\n{}\n---\nb:\n  - 1\n"
    stream = dump_documents([{"a": "x\n"}, {"b": "no"}])
    assert list(yaml.safe_load_all(stream)) == [{"a": "x\n"}, {"b": "no"}]
    assert list(_RUAMEL.load_all(stream)) == [{"a": "x\n"}, {"b": "no"}]


class _Color(enum.StrEnum):
    RED = "on"


class _Level(enum.IntEnum):
    HIGH = 3


def test_subclasses_are_emitted_as_their_base_values() -> None:
    data = OrderedDict([("c", _Color.RED), (_Color.RED, _Level.HIGH), ("l", (1,))])
    assert dump_document(data) == 'c: "on"\nl:\n  - 1\n"on": 3\n'


@pytest.mark.parametrize(
    "bad", [b"bytes", {1, 2}, object(), 1j, bytearray(b"x")], ids=lambda v: type(v).__name__
)
def test_unsupported_values_raise_type_error(bad: Any) -> None:
    with pytest.raises(TypeError):
        dump_document({"v": bad})
    with pytest.raises(TypeError):
        dump_document({"v": [bad]})


@pytest.mark.parametrize("data", [{1: "a"}, {"a": 1, 2: "b"}, {None: 1}, {"m": {(1,): 1}}])
def test_non_string_keys_raise_type_error(data: Any) -> None:
    with pytest.raises(TypeError, match="keys must be str"):
        dump_document(data)


@pytest.mark.parametrize("bad", [["a"], "a", None, 1])
def test_documents_must_be_mappings(bad: Any) -> None:
    with pytest.raises(TypeError):
        dump_document(bad)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_floats_raise_value_error(value: float) -> None:
    with pytest.raises(ValueError):
        dump_document({"v": value})
    with pytest.raises(ValueError):
        dump_document({"v": [{"w": value}]})


# Mostly-plain text exercises the whitelist boundaries far more often than arbitrary Unicode.
_K8S_ALPHABET = "aAyYnN0179eExo_./:-+ =@,%()#~!&*?|>'\"[]{}\n\t"
_texts = st.text() | st.text(alphabet=_K8S_ALPHABET, max_size=12) | st.sampled_from(TRICKY_STRINGS)
_scalars = (
    _texts
    | st.integers()
    | st.booleans()
    | st.none()
    | st.floats(allow_nan=False, allow_infinity=False)
)
_values = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_texts, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_texts, _values, max_size=5))
def test_property_round_trips_through_every_reader(data: dict[str, Any]) -> None:
    _assert_round_trips(data)
