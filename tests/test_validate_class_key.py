"""The class key on the schema shapes that decide whether a string may be blanked, and the YAML
typing traps that keep a document out of any class."""

from __future__ import annotations

import json

import pytest

from infraforge.check.class_key import class_key
from infraforge.check.class_plan import plain_markers
from infraforge.check.class_schema import root_node
from infraforge.check.go_yaml import ambiguous, go_types_plain, text_traps
from validate_helpers import STORE

STRING = {"type": "string"}


def key(schema: dict, value: object) -> tuple | None:
    root = {"type": "object", "properties": {"apiVersion": STRING, "kind": STRING,
                                            "field": schema}}
    return class_key({"apiVersion": "v1", "kind": "Thing", "field": value}, root_node(root))


def same_class(schema: dict, left: object, right: object) -> bool:
    found = key(schema, left), key(schema, right)
    assert None not in found
    return found[0] == found[1]


@pytest.mark.parametrize("schema", [
    STRING, {"type": ["string", "null"], "description": "any text"}, {},
    {"type": "string", "default": "x", "x-kubernetes-list-type": "atomic"},
])
def test_a_string_the_schema_accepts_whatever_it_says_is_blanked(schema):
    assert same_class(schema, "alpha", "beta")


@pytest.mark.parametrize("schema", [
    {"type": "string", "pattern": "^[a-z]+$"}, {"type": "string", "format": "date-time"},
    {"$ref": "#/definitions/x"}, {"type": "string", "if": STRING, "then": STRING},
    {"type": "integer"}, {"type": "string", "contentEncoding": "base64"},
    {"oneOf": [STRING, {"type": ["string", "null"]}]},  # both branches: no string passes
    {"anyOf": [{"type": "string", "pattern": "^a"}, {"type": "integer"}]},
])
def test_a_string_not_decided_here_or_never_valid_is_kept_verbatim(schema):
    assert not same_class(schema, "alpha", "beta")


@pytest.mark.parametrize(("schema", "passing", "failing"), [
    ({"type": "string", "maxLength": 4}, ("ab", "éééé"), ("alpha", "ééééé")),
    ({"type": "string", "minLength": 1}, ("a", "beta"), ("",)),
    ({"type": "string", "enum": ["alpha", "beta", 1]}, ("alpha", "beta"), ("gamma", "1")),
    ({"const": "alpha"}, ("alpha",), ("beta",)),
    ({"anyOf": [{"type": "integer"}, STRING], "x-kubernetes-int-or-string": True},
     ("5", "50%"), ()),
    ({"oneOf": [{"type": "string", "maxLength": 2}, {"type": "integer"}]}, ("ab", "c"), ("abc",)),
    ({"allOf": [{"minLength": 1}, {"maxLength": 3}]}, ("a", "abc"), ("", "abcd")),
    ({"not": {"enum": ["x"]}}, ("a", "b"), ("x",)),
])
def test_strings_the_node_decides_share_a_class_when_they_pass(schema, passing, failing):
    """A string that passes is blanked; one that fails is kept, so no failing string hides
    behind a passing sample. Lengths count code points, as kubeconform's validator does."""
    for one in passing:
        assert same_class(schema, passing[0], one)
    for one in failing:
        assert not same_class(schema, passing[0], one)
        assert not same_class(schema, one, one + "z")


def test_a_string_map_keeps_its_keys_and_blanks_its_values():
    labels = {"type": "object", "additionalProperties": STRING}
    assert same_class(labels, {"team": "a", "tier": "web"}, {"team": "b", "tier": "db"})
    assert not same_class(labels, {"team": "a"}, {"owner": "a"})
    assert not same_class(labels, {"team": "a"}, {"team": 1})


def test_a_closed_object_keeps_an_unknown_key_and_its_value():
    closed = {"type": "object", "properties": {"name": STRING}, "additionalProperties": False}
    assert same_class(closed, {"name": "a"}, {"name": "b"})
    assert not same_class(closed, {"name": "a", "nmae": "a"}, {"name": "a", "nmae": "b"})


def test_unique_items_keep_the_strings_that_could_repeat():
    unique = {"type": "array", "items": STRING, "uniqueItems": True}
    assert not same_class(unique, ["a", "b"], ["a", "a"])
    assert same_class({**unique, "uniqueItems": False}, ["a", "b"], ["a", "a"])
    assert not same_class({"type": "array", "items": [STRING]}, ["a"], ["b"])  # tuple form


def test_scalars_of_other_types_stay_apart():
    keys = [key({}, value) for value in (1, 1.0, True, None, "1")]
    assert len(set(keys)) == len(keys)


def test_api_version_and_kind_are_kept_even_where_the_schema_says_string():
    root = root_node({"type": "object", "properties": {"apiVersion": STRING, "kind": STRING}})
    assert class_key({"apiVersion": "v1", "kind": "A"}, root) \
        != class_key({"apiVersion": "v2", "kind": "A"}, root)


@pytest.mark.parametrize("value", ["yes", "on", "N", "2024-01-02", {"on": "x"}, {1: "x"},
                                   float("inf"), {"<<": "x"}])
def test_a_document_kubeconform_may_read_other_types_in_has_no_class(value):
    assert key({}, value) is None


def test_strings_we_would_not_read_plain_as_strings_were_quoted_and_are_safe():
    for text in ("true", "0.5", "017", "null", "", "1e3"):
        assert go_types_plain(text) and not ambiguous(text), text
    for text in ("500m", "team-00001", "1.0.3", "10.0.0.0/8", "v1"):
        assert not go_types_plain(text), text


def test_the_key_walks_a_real_schema():
    schema = json.loads((STORE / "k8s/v1.33.0-standalone-strict/configmap-v1.json").read_text())
    root = root_node(schema)
    one = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "labels": {"t": "a"}},
           "data": {"size": "3"}}
    other = {**one, "metadata": {"name": "b", "labels": {"t": "b"}}, "data": {"size": "4"}}
    assert class_key(one, root) == class_key(other, root)
    assert class_key(one, root) != class_key({**one, "data": {"size": 3}}, root)


@pytest.mark.parametrize(("text", "trapped"), [
    ("a: 017\n", True), ("a: -017\n", True), ("- 017\n", True), ("a: *base\n", True),
    ("a: &base 1\n", True), ("- !!int '1'\n", True), ("[*a, *b]\n", True),
    ("name: team-00001\n", False), ('cron: "0 2 * * *"\n', False), ("x: 10.05\n", False),
])
def test_text_traps(text, trapped):
    assert bool(list(text_traps(text))) is trapped


@pytest.mark.parametrize(("raw", "plain"), [
    (b"a: 1\n---\nb: 2\n", True), (b"---\na: 1\n--- # two\nb: 2\n", True),
    (b"a: 1\n--- !tag\nb: 2\n", False), (b"a: 1\n----\nb: 2\n", False),
    (b"a: 1\n...\nb: 2\n", False), (b"--- {a: 1}\n", False),
])
def test_document_markers_both_readers_split_alike(raw, plain):
    assert plain_markers(raw) is plain
