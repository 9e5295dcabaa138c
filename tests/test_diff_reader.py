"""The fast reader of the emitter's YAML agrees with a real YAML loader, or steps aside."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import REPO
from infraforge.diff.documents import parse_yaml, split_documents
from infraforge.diff.reader import NotCanonical, read
from infraforge.emit.yaml import dump_document
from infraforge.pipeline import compile_catalog

LOADER = YAML(typ="safe", pure=False)
TRICKY = ["10Gi", "250m", "yes", "on", "0777", "1.10", "a: b", "x:", ".5", "...", "-a", "|",
          "", " a", "a\nb", "a\nb\n", "\n", "é", "key: |", "2001-12-14", '"q"', "~", ".inf",
          ".dockerconfigjson", "1e3", "0x1F", "null", "=", "<<", "a # b", "- x"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
                    st.sampled_from(TRICKY))
keys = st.one_of(st.text(max_size=10), st.sampled_from(["apiVersion", "kind", "name", *TRICKY]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=5))
def test_reads_back_what_the_emitter_wrote_or_defers(document: dict) -> None:
    text = dump_document(document)
    try:
        fast = read(text)
    except NotCanonical:
        fast = None  # outside the subset it knows: the full loader takes over
    full = LOADER.load(text)
    assert parse_yaml(text) == full == document
    assert fast is None or fast == full


def test_agrees_with_a_yaml_loader_on_the_whole_example_tree() -> None:
    tree = compile_catalog(REPO).tree
    documents = [text for path, data in {**tree.files, **tree.entrypoints}.items()
                 if path.endswith(".yaml") for text in split_documents(data)]
    assert len(documents) > 100
    for text in documents:
        assert read(text) == LOADER.load(text)  # every rendered document is in the subset


@pytest.mark.parametrize("text", ["a: yes\n", "a: 0777\n", "a:\n- b\n", "? long\n: v\n",
                                  "a: 'single'\n", "a: [1, 2]\n", "a: b # c\n"])
def test_other_yaml_is_not_guessed(text: str) -> None:
    with pytest.raises(NotCanonical):
        read(text)
    assert parse_yaml(text) == LOADER.load(text)
