"""The compiled twin of the emitter (`make native`) must emit exactly what the Python module
emits, and must never be used once it no longer matches the source it was built from."""

from __future__ import annotations

import enum
import os
import shutil
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infraforge import native
from infraforge.emit import emitter, yaml
from test_emitter import SCALARS, TRICKY_STRINGS

SOURCE = Path(emitter.__file__)
BUILT = native.twin(yaml.EMITTER, str(SOURCE))


@pytest.fixture(scope="module")
def compiled() -> Any:
    if BUILT is None:
        if os.environ.get("CI"):
            pytest.fail("CI runs `make native` first: the emitter's twin must be built and current")
        pytest.skip("no compiled twin of the emitter (run `make native`)")
    return BUILT


def test_the_compiler_emits_with_the_twin_when_it_is_current(compiled: Any) -> None:
    assert yaml.dump_document is compiled.dump_document
    assert type(compiled.dump_document).__name__ == "builtin_function_or_method"


class Colour(enum.StrEnum):
    RED = "red"


_texts = st.text() | st.sampled_from(TRICKY_STRINGS)
_scalars = _texts | st.sampled_from(SCALARS) | st.integers() | st.floats(allow_nan=False,
                                                                          allow_infinity=False)
_values = st.recursive(_scalars, lambda children: st.lists(children, max_size=4)
                       | st.dictionaries(_texts, children, max_size=4), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_texts, _values, max_size=5), max_size=3))
def test_the_twin_emits_what_the_python_module_emits(compiled: Any,
                                                     documents: list[dict[str, Any]]) -> None:
    assert compiled.dump_documents(documents) == emitter.dump_documents(documents)


@pytest.mark.parametrize("document", [
    {"kind": Colour.RED, "spec": OrderedDict([("b", 1), ("a", (True, None))])},
    {"k" * 1200: "long keys take the explicit form", "nested": {"x" * 1100: [1]}},
    {"text": "line1\nline2\n", "deep": {"a": {"b": {"c": ["- x", "", {}, []]}}}},
])
def test_the_twin_agrees_on_the_unusual_cases(compiled: Any, document: dict[str, Any]) -> None:
    assert compiled.dump_document(document) == emitter.dump_document(document)


@pytest.mark.parametrize("bad", [{1: "x"}, {"a": {2.5: "x"}}, {"a": object()},
                                 {"a": float("nan")}, ["not a mapping"]])
def test_the_twin_refuses_what_the_python_module_refuses(compiled: Any, bad: Any) -> None:
    with pytest.raises((TypeError, ValueError)) as python_error:
        emitter.dump_document(bad)
    with pytest.raises(python_error.type):
        compiled.dump_document(bad)


def test_an_edited_source_runs_as_python_until_built_again(tmp_path: Path) -> None:
    edited = tmp_path / "emitter.py"
    edited.write_bytes(SOURCE.read_bytes() + b"\n# edited\n")
    assert native.twin(yaml.EMITTER, str(edited)) is None


def test_a_damaged_or_foreign_twin_is_ignored(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(native, "COMPILED", tmp_path)
    digest = native.source_digest(SOURCE.read_bytes())
    damaged = native.twin_file(yaml.EMITTER, digest)
    damaged.write_bytes(b"\x7fELF but not really an extension")
    assert native.twin(yaml.EMITTER, str(SOURCE)) is None
    if BUILT is not None:  # a real extension, built from other bytes than its name says
        other = "f" * 64
        shutil.copy(BUILT.__file__, native.twin_file(yaml.EMITTER, other))
        monkeypatch.setattr(native, "source_digest", lambda _: other)
        assert native.twin(yaml.EMITTER, str(SOURCE)) is None


def test_native_off_means_python(monkeypatch) -> None:
    monkeypatch.setenv("INFRAFORGE_NATIVE", "0")
    assert native.twin(yaml.EMITTER, str(SOURCE)) is None
