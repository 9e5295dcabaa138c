"""The emitted-document memo: a hit must be byte-for-byte what emitting would give."""

from __future__ import annotations

import enum
import json
from pathlib import Path

from infraforge.emit.memo import DocumentMemo
from infraforge.emit.yaml import dump_document
from infraforge.incremental.store import CacheStore


class Level(enum.StrEnum):
    INFO = "info"


def _memo(tmp_path: Path) -> DocumentMemo:
    return DocumentMemo(CacheStore.for_project(tmp_path).bucket("emitted"))


def test_values_equal_in_python_but_not_in_yaml_are_not_confused(tmp_path: Path) -> None:
    memo = _memo(tmp_path)
    # 1 == True == 1.0 in Python, but they are three different YAML scalars
    for value in (1, True, 1.0, "1", None, [1], {"a": 1}):
        document = {"kind": "ConfigMap", "data": {"x": value}}
        assert memo.dump_document(document) == dump_document(document), value


def test_a_second_run_reads_the_memo_and_gets_the_same_text(tmp_path: Path) -> None:
    document = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"},
                "data": {"level": "yes", "count": "010"}}
    first = _memo(tmp_path)
    text = first.dump_document(document)
    first.bucket.save()
    second = _memo(tmp_path)
    assert len(second.bucket.unused) == 1  # the entry is on disk
    assert second.dump_document(dict(document)) == text == dump_document(document)
    assert not second.bucket.unused  # and was used


def test_data_marshal_cannot_encode_is_emitted_without_the_memo(tmp_path: Path) -> None:
    memo = _memo(tmp_path)
    document = {"kind": "ConfigMap", "data": {"level": Level.INFO}}
    assert memo.dump_document(document) == "kind: ConfigMap\ndata:\n  level: info\n"
    assert not memo.bucket.used


def test_dumped_text_is_remembered_under_the_data_it_came_from(tmp_path: Path) -> None:
    calls = []

    def as_json(data: dict) -> str:
        calls.append(data)
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    first = _memo(tmp_path)
    variables = {"environment": "prod", "irsa_roles": {"a": {"s3_prefix": None}}}
    assert first.dumped(variables, as_json) == as_json(variables)
    first.bucket.save()
    calls.clear()
    second = _memo(tmp_path)
    assert second.dumped(dict(variables), as_json) == as_json(variables)
    assert len(calls) == 1  # only the reference call above: the memo answered
    changed = {**variables, "environment": "staging"}
    assert second.dumped(changed, as_json) == as_json(changed)
