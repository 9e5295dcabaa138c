"""The C walk of the emitter (emit/walker.c, `make native`) must emit exactly what the Python
walk emits, and must never be used once it no longer matches the source it was built from."""

from __future__ import annotations

import enum
import os
import shutil
from collections import OrderedDict, UserDict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infraforge import native
from infraforge.emit import scalars, walk, yaml
from test_emitter import SCALARS, TRICKY_STRINGS

SOURCE = native.PACKAGE / native.EXTENSIONS[yaml.WALKER]
BUILT = native.extension(yaml.WALKER)


@pytest.fixture(scope="module")
def compiled() -> Any:
    if BUILT is None:
        if os.environ.get("CI"):
            pytest.fail("CI runs `make native` first: the emitter's C walk must be built and current")
        pytest.skip("no build of the emitter's C walk (run `make native`)")
    return BUILT.Walker(**scalars.walker_hooks())


def test_the_compiler_emits_with_the_c_walk_when_it_is_current(compiled: Any) -> None:
    assert type(yaml.dump_document.__self__) is type(compiled)  # a Walker of the built extension
    assert type(yaml.dump_documents.__self__) is type(compiled)


class Colour(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


_texts = st.text() | st.sampled_from(TRICKY_STRINGS)
_scalars = _texts | st.sampled_from(SCALARS) | st.integers() | st.floats(allow_nan=False,
                                                                          allow_infinity=False)
_values = st.recursive(_scalars, lambda children: st.lists(children, max_size=4)
                       | st.dictionaries(_texts, children, max_size=4), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_texts, _values, max_size=5), max_size=3))
def test_the_c_walk_emits_what_the_python_walk_emits(compiled: Any,
                                                     documents: list[dict[str, Any]]) -> None:
    cold = _with_empty_caches(compiled.dump_documents, documents)  # every value asked of Python
    assert cold == _with_empty_caches(walk.dump_documents, documents)
    assert compiled.dump_documents(documents) == cold  # and with the caches it filled


def _with_empty_caches(dump: Any, documents: Any) -> str:
    for cache in (scalars.VALUE_CACHE, scalars.KEY_CACHE, scalars.LAYOUT_CACHE):
        cache.clear()
    return dump(documents)


@pytest.mark.parametrize("document", [
    {"kind": Colour.RED, "spec": OrderedDict([("b", 1), ("a", (True, None))])},
    {"k" * 1200: "long keys take the explicit form", "nested": {"x" * 1100: [1]}},
    {"text": "line1\nline2\n", "deep": {"a": {"b": {"c": ["- x", "", {}, []]}}}},
    {"big": 10**40, "negative": -(2**63), "level": Level.HIGH, "flags": [True, False, 0, 1]},
    {"é-key": "naïve ☃", "nested": [[["x"]], [(), {}], ({"a": UserDict({"b": [None]})},)]},
    UserDict({"a document": "that is not a dict", "at": 0.1}),
])
def test_the_c_walk_agrees_on_the_unusual_cases(compiled: Any, document: dict[str, Any]) -> None:
    assert compiled.dump_document(document) == walk.dump_document(document)


@pytest.mark.parametrize("bad", [{1: "x"}, {"a": {2.5: "x"}}, {"a": object()},
                                 {"a": float("nan")}, ["not a mapping"]])
def test_the_c_walk_refuses_what_the_python_walk_refuses(compiled: Any, bad: Any) -> None:
    with pytest.raises((TypeError, ValueError)) as python_error:
        walk.dump_document(bad)
    with pytest.raises(python_error.type):
        compiled.dump_document(bad)


def test_the_c_walk_stops_at_the_recursion_limit_as_python_does(compiled: Any) -> None:
    deep: dict[str, Any] = {}
    for _ in range(100_000):
        deep = {"a": [deep]}
    for dump in (walk.dump_document, compiled.dump_document):
        with pytest.raises(RecursionError):
            dump(deep)


def test_an_edited_source_runs_as_python_until_built_again(tmp_path: Path) -> None:
    edited = tmp_path / "walker.c"
    edited.write_bytes(SOURCE.read_bytes() + b"\n/* edited */\n")
    assert native.extension(yaml.WALKER, edited) is None


def test_a_damaged_or_foreign_build_is_ignored(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(native, "COMPILED", tmp_path)
    digest = native.source_digest(SOURCE.read_bytes())
    damaged = native.built_file(yaml.WALKER, digest)
    damaged.write_bytes(b"\x7fELF but not really an extension")
    assert native.extension(yaml.WALKER) is None
    if BUILT is not None:  # a real extension, built from other bytes than its name says
        other = "f" * 64
        shutil.copy(BUILT.__file__, native.built_file(yaml.WALKER, other))
        monkeypatch.setattr(native, "source_digest", lambda _: other)
        assert native.extension(yaml.WALKER) is None


def test_native_off_means_python(monkeypatch) -> None:
    monkeypatch.setenv("INFRAFORGE_NATIVE", "0")
    assert native.extension(yaml.WALKER) is None
