"""One list of credential shapes (infraforge.secret_patterns), judged alike by its three users:
the catalog check, the POL-PLAINTEXT-SECRET policy and the diff redactor.

The policy and the redactor first scan a serialised object (repr, YAML), where a tab or newline
before a key shows as an escape (`\\tAKIA...`); they must still find the key.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import write
from infraforge.check.objects import RenderedObject
from infraforge.check.policies import run_policies
from infraforge.diff.match import compare_trees
from infraforge.emit.yaml import dump_documents

KEY = "AKIAIOSFODNN7EXAMPLE"
AFTER_TAB = f"[default]\naws_access_key_id =\t{KEY}\n"
SLACK = "axoxb-aaaaaaaaaa-xoxb-bbbbbbbbbbbb"  # the first token is no word start, the second is
NOT_A_WORD_START = f"_{KEY}"  # `_` is a word character, as for `\b`
CONFIG_FILE = "prod/shop/workloads/manifest.yaml"
SERVICE_FILE = "catalog/tenants/search/services/query.yaml"
SERVICE = ("apiVersion: platform.infraforge.io/v1\nkind: Service\nmetadata:\n  name: query\n"
           "spec:\n  tenant: search\n  description: Answers search queries.\n"
           "  image: registry.acme.example/search/query:3.2.0\n  port: 8080\n")


def config_map(**data: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "creds", "namespace": "shop-prod",
                         "labels": {"infraforge.io/tenant": "shop",
                                    "infraforge.io/environment": "prod"}},
            "data": data}


def secret_findings(body: dict) -> list[str]:
    obj = RenderedObject(CONFIG_FILE, 0, 1, body)
    return [d.format() for d in run_policies([obj], {}) if d.rule == "POL-PLAINTEXT-SECRET"]


def test_policy_finds_keys_behind_escapes_and_overlaps_without_echoing_them() -> None:
    reported = secret_findings(config_map(aws=AFTER_TAB, slack=SLACK, other=NOT_A_WORD_START))
    assert len(reported) == 2, reported
    assert any("data.aws holds what looks like a credential" in line for line in reported)
    assert any("data.slack holds what looks like a credential" in line for line in reported)
    assert not any(secret in "\n".join(reported) for secret in (KEY, SLACK))
    # alone in its object, so only the escaped key can open the way to the field walk
    assert len(secret_findings(config_map(aws=AFTER_TAB))) == 1


def test_diff_hides_a_key_behind_an_escape() -> None:
    base = {CONFIG_FILE: dump_documents([config_map(aws="none yet")]).encode()}
    head = {CONFIG_FILE: dump_documents([config_map(aws=AFTER_TAB)]).encode()}
    assert "\\t" + KEY in head[CONFIG_FILE].decode()  # the emitter escapes the tab
    (change,) = compare_trees(base, head).objects
    assert KEY not in change.diff and "(redacted; changed)" in change.diff


def test_catalog_judges_the_same_values_alike(project: Path, run_cli) -> None:
    values = {"UPSTREAM_A": AFTER_TAB, "UPSTREAM_B": SLACK, "UPSTREAM_C": NOT_A_WORD_START}
    env = "".join(f"    - name: {name}\n      value: {json.dumps(value)}\n"  # YAML-quoted
                  for name, value in values.items())
    write(project / SERVICE_FILE, SERVICE + "  env:\n" + env)
    result = run_cli("-C", str(project), "render")
    assert result.code == 1, result.err
    reported = [line for line in result.err.splitlines() if "PLAINTEXT-SECRET" in line]
    assert [line.split("env ")[1].split()[0] for line in reported] == ["UPSTREAM_A", "UPSTREAM_B"]
    assert KEY not in result.err + result.out and SLACK not in result.err + result.out
