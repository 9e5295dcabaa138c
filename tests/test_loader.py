"""The hardened YAML loader: YAML 1.2 scalar typing, and no exception but diagnostics."""

from __future__ import annotations

import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from infraforge.load.yaml_source import read_yaml_documents


def load_one(text: str):
    documents, diagnostics = read_yaml_documents(text.encode(), "t.yaml")
    assert not diagnostics, [d.format() for d in diagnostics]
    return documents[0].data


def test_yaml_1_2_core_schema_scalars() -> None:
    data = load_one("a: no\nb: on\nc: 0o17\nd: 0x1F\ne: 0777\nf: 1.10\ng: 1:20\nh: ~\n"
                    "i: TRUE\nj: 2001-12-14\nk: 1e3\nl: '5'\nm: !!str 5\nn: .inf\n")
    assert data == {"a": "no", "b": "on", "c": 15, "d": 31, "e": 777, "f": 1.1, "g": "1:20",
                    "h": None, "i": True, "j": "2001-12-14", "k": 1000.0, "l": "5", "m": "5",
                    "n": math.inf}


def test_positions_are_one_based_line_and_column() -> None:
    documents, _ = read_yaml_documents(b"a:\n  b: [1, 2]\n---\nc: x\n", "t.yaml")
    assert str(documents[0].position(("a", "b", 1))) == "t.yaml:2:10"
    assert str(documents[0].key_position(("a", "b"))) == "t.yaml:2:3"
    assert str(documents[1].position(("c",))) == "t.yaml:4:4"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_data_or_diagnostics_never_an_exception(raw: bytes) -> None:
    _, diagnostics = read_yaml_documents(raw, "fuzz.yaml")
    for diagnostic in diagnostics:
        assert diagnostic.position.file == "fuzz.yaml" and diagnostic.rule.startswith("YAML-")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab:- []{}'\"!&*#%|>\n\t0.~", "no", "on", "<<", "!!int "]),
                max_size=60).map("".join))
@example("!a :")  # a tagged key once reached the scalar typing unchecked (KeyError)
def test_yaml_shaped_text_never_raises(text: str) -> None:
    documents, diagnostics = read_yaml_documents(text.encode(), "fuzz.yaml")
    for document in documents:
        document.position(("a",))  # positions are always available
    assert all(d.rule.startswith("YAML-") for d in diagnostics)
