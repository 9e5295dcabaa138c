"""When kubeconform sees which file: before parsing (judged from bytes), and after, for a file the
bytes misjudged; and every root in one run of it."""

from __future__ import annotations

from infraforge.check.tree import may_hold_kubernetes
from validate_helpers import schema_rules, validate_json

ENTITY = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: shop\n"
          "spec:\n  type: service\n  lifecycle: production\n  owner: group:default/shop\n")
# a flow-style document: its apiVersion is not at the start of a line
FLOW_CONFIG_MAP = "{apiVersion: v1, kind: ConfigMap, metadata: {name: shop}, data: {size: 3}}\n"
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  size: 3\n"


def test_bytes_say_which_files_may_hold_kubernetes_objects():
    assert may_hold_kubernetes(CONFIG_MAP.encode())
    assert may_hold_kubernetes(f"{ENTITY}---\n{CONFIG_MAP}".encode())
    assert not may_hold_kubernetes(ENTITY.encode())
    assert not may_hold_kubernetes(f"{ENTITY}---\n{FLOW_CONFIG_MAP}".encode())  # misjudged


def test_a_file_the_bytes_misjudge_still_goes_through_kubeconform(run_cli, tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "mixed.yaml").write_text(f"{ENTITY}---\n{FLOW_CONFIG_MAP}")
    (tree / "entities.yaml").write_text(ENTITY)
    code, report = validate_json(run_cli, "--tree", str(tree), "--no-cache", project=tmp_path)
    assert code == 1
    rules = schema_rules(report)
    assert "SCHEMA-INVALID" in rules[f"{tree}/mixed.yaml"]  # data.size must be a string
    assert f"{tree}/entities.yaml" not in rules  # entities are Backstage's, not kubeconform's


def test_every_root_is_checked_in_the_same_run(run_cli, tmp_path):
    (tmp_path / "rendered").mkdir()
    (tmp_path / "appsets").mkdir()
    (tmp_path / "rendered" / "config.yaml").write_text(CONFIG_MAP)
    (tmp_path / "appsets" / "config.yaml").write_text(CONFIG_MAP.replace("shop", "root"))
    code, report = validate_json(run_cli, "--no-render", "--no-cache", project=tmp_path)
    assert code == 1
    assert schema_rules(report) == {"rendered/config.yaml": {"SCHEMA-INVALID"},
                                    "appsets/config.yaml": {"SCHEMA-INVALID"}}
