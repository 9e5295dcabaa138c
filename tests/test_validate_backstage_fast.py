"""jsonschema-rs only ever says "valid" for an entity `jsonschema` finds valid too.

check.backstage asks jsonschema-rs first and takes its "valid" as final, so the two must agree
on every entity: the rendered example's, the rule fixtures', and mutations of them that break
each field in turn (wrong type, missing, bad pattern, unknown key).
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from infraforge.check.backstage import _fast_accepts, _for_kind, kind_validators
from validate_helpers import FIXTURES, STORE

FOLDER = STORE / "backstage"


def entities(files: list[Path]) -> list[dict]:
    return [doc for f in files for doc in yaml.safe_load_all(f.read_text())
            if isinstance(doc, dict) and str(doc.get("apiVersion", "")).startswith("backstage.io/")]


def leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*path, index))
    yield path


def mutations(entity: dict):
    """The entity with one field broken at a time."""
    for path in leaves(entity):
        if not path:
            continue
        parent = entity
        for step in path[:-1]:
            parent = parent[step]
        for broken in (5, None, [], {}, "Not A-Valid Value!", "x" * 300, "relation-with-dash"):
            copied = copy.deepcopy(entity)
            target = copied
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = broken
            yield copied
        if isinstance(parent, dict):
            copied = copy.deepcopy(entity)
            target = copied
            for step in path[:-1]:
                target = target[step]
            del target[path[-1]]
            yield copied
    yield {**copy.deepcopy(entity), "unknownRootKey": 1}


def python_accepts(entity: dict) -> bool:
    return any(not list(v.iter_errors(entity)) for v in _for_kind(entity, kind_validators(FOLDER)))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[dict]:
    from infraforge.cli import main

    project = tmp_path_factory.mktemp("example")
    for folder in ("catalog", "overlays"):
        shutil.copytree(Path(__file__).resolve().parents[1] / folder, project / folder)
    assert main(["-C", str(project), "render"]) == 0
    rendered = entities(sorted((project / "rendered" / "backstage").glob("*.yaml")))
    fixtures = entities(sorted((FIXTURES / "rules").glob("BACKSTAGE-*/*.yaml")))
    assert len(rendered) > 10 and fixtures
    return [*rendered, *fixtures]


def test_fast_path_and_jsonschema_agree_on_entities_and_their_mutations(corpus):
    judged = disagreements = 0
    for entity in corpus:
        for candidate in (entity, *mutations(entity)):
            if not _for_kind(candidate, kind_validators(FOLDER)):
                continue  # no schema for its kind: BACKSTAGE-KIND, decided before either runs
            judged += 1
            if _fast_accepts(candidate, FOLDER) != python_accepts(candidate):
                disagreements += 1
    assert judged > 1000
    assert disagreements == 0


def test_non_ascii_text_always_takes_the_jsonschema_path(corpus):
    entity = copy.deepcopy(next(e for e in corpus if e["kind"] == "Component"))
    assert _fast_accepts(entity, FOLDER)
    entity["metadata"]["description"] = "caf\u00e9"  # valid for both, but not ASCII
    assert python_accepts(entity)
    assert not _fast_accepts(entity, FOLDER)
