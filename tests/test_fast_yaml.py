"""The catalog's fast YAML path (yaml-rs) against the full reader: equal whenever it answers.

Whenever `plain_documents` returns data, the full hardened reader must read the same text into
exactly the same data (types, key order, NaN and -0.0 included) and report nothing. Each guarded
construct must send the text to the full reader, and the plain fixtures must take the fast path,
so none of this can pass by the fast path simply refusing everything.
FAST_YAML_EXAMPLES=100000 runs the generated cases at length (done before each change here).
"""

from __future__ import annotations

import itertools
import math
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write
from infraforge.load.fast_yaml import plain_documents
from infraforge.load.plain import MAX_DEPTH, MAX_SCALAR_CHARS
from infraforge.load.yaml_source import decode, read_yaml_documents
from yaml_texts import CatalogText, soup

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = int(os.environ.get("FAST_YAML_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def same(left: Any, right: Any) -> bool:
    """Equal data of equal types: `True` is not `1`, `1` is not `1.0`, key order counts."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    if isinstance(left, float):
        return (math.isnan(left) and math.isnan(right)) or (
            left == right and math.copysign(1, left) == math.copysign(1, right))
    return left == right


def fast_path(text: str) -> list[Any] | None:
    """The fast path's answer for `text`, checked against the full reader's when it answers."""
    if decode(text.encode(), "t.yaml")[1] is not None:
        return None  # the fast path only ever sees texts that passed the file-level checks
    fast = plain_documents(text)
    if fast is not None:
        documents, diagnostics = read_yaml_documents(text.encode(), "t.yaml")
        assert not diagnostics, (text, [d.format() for d in diagnostics])
        assert same(fast, [document.data for document in documents]), (text, fast)
    return fast


def corpus() -> list[Path]:
    roots = [REPO / "tests" / "fixtures", REPO / "catalog", REPO / "overlays"]
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in (".yaml", ".yml"))


def test_every_fixture_reads_the_same_and_most_take_the_fast_path() -> None:
    files = corpus()
    taken = [path for path in files if fast_path(path.read_text()) is not None]
    # quoted numbers ("500", cpu: "1"), `""`, anchors or tags send the others to the full reader
    assert len(files) >= 100 and len(taken) >= 0.7 * len(files), (len(taken), len(files))
    assert REPO / "catalog" / "platform.yaml" in taken


def test_the_synthetic_platform_takes_the_fast_path(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "synth.py"), "20", str(tmp_path)],
                   check=True)
    files = sorted(tmp_path.rglob("*.yaml"))
    taken = [path for path in files if fast_path(path.read_text()) is not None]
    overlays = [path for path in files if path.parent.name == "overlays"]
    assert len(taken) == len(files) - len(overlays) > 80


def nested_keys(depth: int) -> str:
    """A mapping whose one scalar is `depth` levels down."""
    return "".join(f"{'  ' * level}k:\n" for level in range(depth - 1)) + "  " * (depth - 1) + "k: 1\n"


# Texts the fast path must read, each equal to the full reader's reading.
TAKEN = [
    "a: 1\n", "---\na: 1\n", "# head\n\n---\na: 1\n", "--- {a: 1}\n", "a: 1\n---\nb: 2\n",
    "a: 1\n--- # two\nb: [x, {y: z}]\n",
    # every double-quoted escape (`\\_` too, though the underscore guard sends it to the full
    # reader), and a line continuation
    'a: "\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\"\\/\\\\\\N\\L\\P\\x41\\u00e9\\U0001F600"\n',
    'a: "x\\\n  y"\n', "a: 'it''s\n\n   folded '\n", 'a: "one\n  two\n\n  three"\n',
    # block scalars: chomping, indentation indicators, folding, leading and trailing blank lines
    "a: |\n  x\n\n", "a: |+\n  x\n\n", "a: |-\n  x\n\n", "a: |2\n   x\n  y\n", "a: >-\n\n  x\n",
    "a: >\n  x\n  y\n\n   z\n  w\n", "a: >+\n  x\n\n\nb: 1\n", "a: |\n  # not a comment\n",
    # multi-line plain scalars, comments, flow collections, empty values, complex-key syntax
    "a: x\n  y\n\n  z\n", "a: b # c\nd: e#f\n", "a: {b: c, d}\n", "a: [b: c]\n", "a:\nb:\n",
"? a\n: b\n", "a: -b\nc: :d\ne: ?f\n",
    "a: 0 3 * * *\nb: \"0 3 * * *\"\n", "a: x...\n", "a: ---x\n",
    "a: [.inf, -.Inf, +.INF, .nan, .NaN, .NAN, +.nan, x.inf]\n",
    # the core schema's typed spellings
    ("a: 0o17\nb: 0x1F\nc: 0777\nd: +12\ne: -0\nf: -0.0\ng: 1e3\nh: .5\ni: 1.\nj: -.inf\n"
     "k: .NaN\nl: TRUE\nm: False\nn: ~\no: Null\np: 99999999999999999999999\nq: 1e400\n"),
    # YAML 1.1 spellings the 1.2 core schema keeps as strings
    "a: no\nb: on\nc: y\nd: 1:20\ne: 2001-12-14\nf: 12:30:45\ng: 2001-12-14 21:59:43.10 -5\n",
    "a: [1, 2.5, -3, true, ~, null, x]\n", "regex: 'CC-[0-9]{4}'\n", "a: [x]  # [\n",
    nested_keys(MAX_DEPTH),  # its scalar is as deep as the full reader allows
]

# Constructs the fast path must leave to the full reader, whatever the full reader makes of them.
GUARDED = [
    "", "# only a comment\n", "---\n", "a: 1\n---\n", "a: 1\n...\n", "a: 1\n...\n---\nb: 2\n",
    "- a\n", "just a string\n", "a: &x 1\nb: *x\n", "a: &x 1\n", "a: !!str 1\n", "a: ! 1\n",
    "a: !!python/object:os.system x\n", "base: {x: 1}\nc:\n  <<: {y: 2}\n", "%FOO bar\n---\na: 1\n",
    "a:\tb\n", "- \tx\n", "a: [b,\tc]\n", "a: x\u2028y\n",
    "1: one\n", "null: x\n", "~: x\n", ": x\n", "'1': one\n", "true: x\n", "[a]: b\n", "{a: b}: c\n",
    "a: 1\na: 2\n", "a: [1, 2\n", "a: b: c\n", "a: \"unterminated\n",
    'a: "500"\n', "a: ''\n", "a: 'true'\n", "a: '~'\n",
    "a: 1_000\n", "a: 1__0\n", "a: _1\n", "a: 1_\n", "a: 0x_1\n", "a: 1.5_0\n", "a: 0xA_B\n",
    "a: 0O17\n", "a: 0X1F\n", "a: 0b101\n", "a: 0B1\n", "a: +0x1\n", "a: -0o7\n", "a: [+0x1]\n",
    "a: .iNf\n", "a: -.INf\n", "a: .nAn\n", "a: [.NAn]\n",
    nested_keys(MAX_DEPTH + 1), "a: [1, 'x']\n", "a: [x,\n  y]\n", "a: [x]]\n", "a: {x]\n",
    "a: [x?]\n", "a: [x:y]\n", "a: [x:, y]\n", "a: {k: |}\n", "a: [>x]\n", "a: b &c\n",
    "a: _x\n", "a: |\n  x", "a: x", "a: |\n  x\n  ", "a: |\n", "a: >+\n\n", "a: '\n\n'\n",
    "a: " + "[" * 300 + "]" * 300 + "\n", "- " * 200 + "x\n",
    "a: " + "x" * (MAX_SCALAR_CHARS + 1) + "\n",
    "a: |\n" + "  xxxxxxxx\n" * (MAX_SCALAR_CHARS // 10), "a: 1" + "0" * MAX_SCALAR_CHARS + "\n",
]


@pytest.mark.parametrize("text", TAKEN)
def test_plain_texts_take_the_fast_path_with_the_full_readers_data(text: str) -> None:
    assert fast_path(text) is not None, text


@pytest.mark.parametrize("text", GUARDED)
def test_guarded_constructs_go_to_the_full_reader(text: str) -> None:
    assert plain_documents(text) is None, text


def test_files_the_file_checks_refuse_never_reach_the_fast_path() -> None:
    """CR line ends, byte-order marks and %YAML directives stop at `decode`, before it."""
    for raw in (b"a: 1\r\n", b"\xef\xbb\xbfa: 1\n", b"%YAML 1.1\n---\na: 1\n"):
        assert decode(raw, "t.yaml")[1] is not None


def test_short_number_like_spellings_are_typed_alike() -> None:
    """Every spelling of up to four characters from the numbers' alphabet: yaml-rs types more of
    them (underscores, 0b, signs before 0x, ...) than the core schema. Those must be guarded;
    the others, as values, keys and flow items, read alike (compared a thousand at a time)."""
    alphabet = "01_.xXoObe+-"
    words = ["".join(letters) for length in range(1, 5)
             for letters in itertools.product(alphabet, repeat=length)]
    taken = [word for word in words if plain_documents(f"a: {word}\n") is not None]
    assert 0.2 * len(words) < len(taken) < len(words), len(taken)
    for start in range(0, len(taken), 1000):
        batch = taken[start:start + 1000]
        values = "".join(f"k{index}: {word}\n" for index, word in enumerate(batch))
        keys = "".join(f"{word}: {index}\n" for index, word in enumerate(batch)
                       if plain_documents(f"{word}: 1\n") is not None)
        assert fast_path(f"{values}flow: [{', '.join(batch)}]\n---\n{keys or 'a: 1'}\n")


@FUZZ
@given(st.integers(0, 2**64))
def test_catalog_shaped_texts_read_alike(seed: int) -> None:
    fast_path(CatalogText(random.Random(seed), tricky=False).document())


@FUZZ
@given(st.integers(0, 2**64))
def test_texts_with_tricky_words_read_alike(seed: int) -> None:
    fast_path(CatalogText(random.Random(seed), tricky=True).document())


@FUZZ
@given(st.integers(0, 2**64), st.integers(1, 4), st.data())
def test_damaged_texts_read_alike(seed: int, damage: int, data: st.DataObject) -> None:
    rng = random.Random(seed)
    text = CatalogText(rng, tricky=False).document()
    for _ in range(damage):
        cut = rng.randint(0, len(text))
        text = text[:cut] + soup(rng)[:3] + text[cut + rng.randint(0, 3):]
    fast_path(text)


@FUZZ
@given(st.integers(0, 2**64))
def test_token_soup_reads_alike(seed: int) -> None:
    fast_path(soup(random.Random(seed)))


def test_generated_texts_do_take_the_fast_path() -> None:
    """The generated tests above compare data only when the fast path answers: it must, often."""
    rng = random.Random(7)
    taken = sum(fast_path(CatalogText(rng, tricky=False).document()) is not None
                for _ in range(400))
    assert taken >= 40, taken


@pytest.mark.parametrize("nesting", ["- " * 40_000 + "x\n", "a: " + "[" * 30_000 + "]" * 30_000 + "\n"])
def test_nesting_that_would_crash_a_parser_is_a_diagnostic(project: Path, run_cli,
                                                            nesting: str) -> None:
    """A 80 KB file of `- - - ...` overflowed the C composer's stack (a segfault): both readers
    must refuse such nesting before parsing, and the full reader reports it."""
    path = "catalog/tenants/search/services/deep.yaml"
    assert plain_documents(nesting) is None
    write(project / path, nesting)
    result = run_cli("-C", str(project), "render")
    assert result.code == 1 and f"{path}:1:1: YAML-TOO-DEEP: " in result.err, result.err
