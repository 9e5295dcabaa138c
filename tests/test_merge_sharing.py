"""Merged settings share the subtrees no layer touches with their base (resolve/merge.py), so
nothing may change them in place: not the merge, and not rendering."""

from __future__ import annotations

import marshal
import sys
from pathlib import Path
from typing import Any

from conftest import REPO
from infraforge.load.catalog import load_catalog
from infraforge.model.settings import Workload
from infraforge.render.unit import render_unit
from infraforge.resolve import defaults
from infraforge.resolve.merge import merge_layers, merge_onto
from infraforge.resolve.units import resolve_units
from infraforge.validate.catalog import validate_catalog

sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # the benchmark's generator: every capability, in every environment


def _frozen(value: Any) -> bytes:
    return marshal.dumps(value, 2)


def test_merge_onto_shares_what_no_layer_touches_and_changes_no_input() -> None:
    base = {"quota": {"cpu": "4", "memory": "8Gi"}, "workload": {"replicas": 1, "env": {"A": "1"}},
            "ports": [{"name": "http", "port": 80}, {"name": "metrics", "port": 9090}]}
    layers = [{"workload": {"replicas": 3, "env": {"$patch": "replace", "B": "2"}}},
              {"ports": [{"name": "metrics", "$patch": "delete"}, {"name": "http", "port": 8080}]}]
    before = _frozen((base, layers))
    merged = merge_onto(base, *layers)
    assert merged == {"quota": {"cpu": "4", "memory": "8Gi"},
                      "workload": {"replicas": 3, "env": {"B": "2"}},
                      "ports": [{"name": "http", "port": 8080}]}
    assert merged["quota"] is base["quota"]  # untouched: shared
    assert merged["workload"] is not base["workload"]  # touched: a new mapping
    assert _frozen((base, layers)) == before
    assert merge_layers(base, *layers) == merged
    assert merge_layers(base, *layers)["quota"] is not base["quota"]  # merge_layers shares nothing


def test_rendering_never_changes_the_settings_it_reads(tmp_path: Path) -> None:
    synth.generate(tmp_path, 8)
    catalog = validate_catalog(load_catalog(tmp_path))
    units = resolve_units(catalog)
    settings = [(unit.settings, [service.settings for service in unit.services]) for unit in units]
    bases = {unit.environment: unit.environment_base for unit in units}
    shared_defaults = (dict(defaults.UNIT_DEFAULTS), dict(defaults.SERVICE_DEFAULTS))
    before = _frozen((settings, bases, shared_defaults))
    for unit in units:
        render_unit(unit)
    assert _frozen((settings, bases, shared_defaults)) == before


def test_services_start_from_the_union_of_their_defaults_and_the_units_workload() -> None:
    # Unit.services takes this union for the merge of the two: true while their keys differ
    assert not defaults.SERVICE_DEFAULTS.keys() & Workload.model_fields.keys()
    assert defaults.UNIT_DEFAULTS["workload"].keys() <= Workload.model_fields.keys()
