"""The semantic comparison on its own: identity, order, moves, renames, secrets, quoting.

Trees are built from objects with InfraForge's emitter (the canonical form both sides of a
real diff have), so each test states exactly what differs between base and head.
"""

from __future__ import annotations

import difflib
import random
from typing import Any

import pytest

from infraforge.diff.match import compare_trees
from infraforge.diff.redact import REDACTED, REDACTED_CHANGED
from infraforge.diff.textdiff import unified
from infraforge.emit.yaml import dump_documents

WORKLOADS = "prod/shop/workloads/manifest.yaml"
GUARDRAILS = "prod/shop/guardrails/manifest.yaml"


def obj(kind: str, name: str, namespace: str | None = "shop-prod", **fields: Any) -> dict:
    metadata: dict[str, Any] = {"name": name, "labels": {"infraforge.io/tenant": "shop"}}
    if namespace:
        metadata["namespace"] = namespace
    api = {"Deployment": "apps/v1", "NetworkPolicy": "networking.k8s.io/v1"}.get(kind, "v1")
    return {"apiVersion": api, "kind": kind, "metadata": metadata, **fields}


def deployment(name: str = "api", replicas: int = 2, **env: str) -> dict:
    container = {"name": name, "image": f"registry.example/shop/{name}:1.0",
                 "env": [{"name": k, "value": v} for k, v in sorted(env.items())]}
    return obj("Deployment", name, spec={"replicas": replicas, "template": {"spec": {
        "containers": [container]}}})



def files(mapping: dict[str, list[dict]]) -> dict[str, bytes]:
    return {path: dump_documents(docs).encode() for path, docs in mapping.items()}


def test_identical_trees_have_no_changes() -> None:
    base = files({WORKLOADS: [deployment(), obj("Service", "api")]})
    assert compare_trees(base, dict(base)).objects == ()


def test_document_order_is_ignored() -> None:
    base = files({WORKLOADS: [deployment(), obj("Service", "api")]})
    head = files({WORKLOADS: [obj("Service", "api"), deployment()]})
    assert compare_trees(base, head).objects == ()


def test_key_order_is_ignored_when_the_texts_are_not_canonical() -> None:
    base = {WORKLOADS: b"apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n"
                       b"  namespace: shop-prod\nspec:\n  type: ClusterIP\n  ports: []\n"}
    head = {WORKLOADS: b"kind: Service\napiVersion: v1\nspec:\n  ports: []\n  type: ClusterIP\n"
                       b"metadata:\n  namespace: shop-prod\n  name: api\n"}
    assert compare_trees(base, head, canonical=False).objects == ()
    changed = {WORKLOADS: head[WORKLOADS].replace(b"ClusterIP", b"NodePort")}
    (change,) = compare_trees(base, changed, canonical=False).objects
    assert change.action == "changed"
    assert [line for line in change.diff.splitlines() if line[:1] in "+-"] == [
        "-  type: ClusterIP", "+  type: NodePort"]


def test_added_changed_removed_with_a_readable_diff() -> None:
    base = files({WORKLOADS: [deployment(replicas=2), obj("ConfigMap", "old")]})
    head = files({WORKLOADS: [deployment(replicas=3), obj("Service", "api")]})
    changes = {(c.action, c.identity.describe()): c for c in compare_trees(base, head).objects}
    assert set(changes) == {("added", "Service shop-prod/api"),
                            ("changed", "Deployment shop-prod/api"),
                            ("removed", "ConfigMap shop-prod/old")}
    diff = changes["changed", "Deployment shop-prod/api"].diff.splitlines()
    assert [line for line in diff if line[:1] in "+-"] == ["-  replicas: 2", "+  replicas: 3"]
    assert changes["added", "Service shop-prod/api"].diff.startswith("+apiVersion: v1\n+kind:")
    assert changes["removed", "ConfigMap shop-prod/old"].diff == ""


def test_object_moved_between_files() -> None:
    policy = obj("NetworkPolicy", "allow-dns", spec={"podSelector": {}})
    base = files({WORKLOADS: [deployment(), policy], GUARDRAILS: [obj("ResourceQuota", "q")]})
    head = files({WORKLOADS: [deployment()], GUARDRAILS: [obj("ResourceQuota", "q"), policy]})
    (change,) = compare_trees(base, head).objects
    assert (change.action, change.file, change.previous_file, change.diff) == (
        "moved", GUARDRAILS, WORKLOADS, "")


def test_moved_and_changed_keeps_the_diff() -> None:
    base = files({WORKLOADS: [deployment(replicas=1)]})
    head = files({GUARDRAILS: [deployment(replicas=4)]})
    (change,) = compare_trees(base, head).objects
    assert change.action == "moved" and change.previous_file == WORKLOADS
    assert "+  replicas: 4" in change.diff.splitlines()


def test_same_name_in_two_environments_is_two_objects() -> None:
    base = files({"dev/argocd/manifest.yaml": [obj("ConfigMap", "x", "argocd")],
                  "prod/argocd/manifest.yaml": [obj("ConfigMap", "x", "argocd")]})
    head = files({"dev/argocd/manifest.yaml": [obj("ConfigMap", "x", "argocd")]})
    (change,) = compare_trees(base, head).objects
    assert (change.action, change.identity.scope) == ("removed", "prod")


def test_renamed_object_is_paired() -> None:
    base = files({WORKLOADS: [deployment("query"), obj("Service", "keep")]})
    head = files({WORKLOADS: [deployment("lookup"), obj("Service", "keep")]})
    (change,) = compare_trees(base, head).objects
    assert change.action == "renamed"
    assert (change.previous.name, change.identity.name) == ("query", "lookup")
    assert "-  name: query" in change.diff.splitlines()


def test_near_identical_rename_is_paired_and_different_objects_are_not() -> None:
    base = files({WORKLOADS: [deployment("query", LOG="json", MODE="a"),
                              obj("ConfigMap", "settings", data={"a": "1"})]})
    head = files({WORKLOADS: [deployment("lookup", LOG="text", MODE="a"),
                              obj("ConfigMap", "other", data={"b": "2", "c": "3", "d": "4"})]})
    changes = {c.action: c for c in compare_trees(base, head).objects if c.identity.kind ==
               "Deployment"}
    assert set(changes) == {"renamed"}
    kinds = {(c.action, c.identity.name) for c in compare_trees(base, head).objects
             if c.identity.kind == "ConfigMap"}
    assert kinds == {("added", "other"), ("removed", "settings")}


def test_secret_values_are_redacted_and_changes_still_visible() -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "keys",
              "namespace": "shop-prod"}, "stringData": {"token": "s3cr3t-old", "user": "app"}}
    base = files({WORKLOADS: [deployment(DB_PASSWORD="hunter2", LOG="json"), secret]})
    new_secret = {**secret, "stringData": {"token": "s3cr3t-new", "user": "app"}}
    head = files({WORKLOADS: [deployment(DB_PASSWORD="hunter3", LOG="json"), new_secret,
                              obj("Secret", "fresh", data={"key": "QUtJQQ=="})]})
    changes = compare_trees(base, head).objects
    text = "\n".join(c.diff for c in changes)
    for leaked in ("hunter2", "hunter3", "s3cr3t-old", "s3cr3t-new", "QUtJQQ=="):
        assert leaked not in text
    lines = text.splitlines()
    # a changed secret shows as changed, both sides masked
    assert [f'-              value: "{REDACTED}"', f'+              value: "{REDACTED_CHANGED}"'] == [
        line for line in lines if "value: \"(redacted" in line]
    assert f'-  token: "{REDACTED}"' in lines and f'+  token: "{REDACTED_CHANGED}"' in lines
    assert f'   user: "{REDACTED}"' in lines  # unchanged secret: masked, not marked
    assert f'+  key: "{REDACTED}"' in lines  # an added Secret is masked too


def test_credential_patterns_are_redacted_anywhere() -> None:
    leaked = "postgres://app:pa55word@db:5432/app"
    base = files({WORKLOADS: [obj("ConfigMap", "c", data={"url": "x"})]})
    head = files({WORKLOADS: [obj("ConfigMap", "c", data={"url": leaked})]})
    (change,) = compare_trees(base, head).objects
    assert "pa55word" not in change.diff and REDACTED_CHANGED in change.diff


@pytest.mark.parametrize("seed", range(3))
def test_unified_diff_applies_like_difflib(seed: int) -> None:
    generator = random.Random(seed)
    for _ in range(300):
        old = [generator.choice("abcdef") for _ in range(generator.randint(0, 40))]
        new = list(old)
        for _ in range(generator.randint(1, 5)):
            at = generator.randint(0, len(new))
            new[at:at + generator.randint(0, 2)] = generator.choice(["", "x", "yz"])
        ours = unified("\n".join(old), "\n".join(new))
        assert _apply(old, ours) == new
        reference = list(difflib.unified_diff(old, new, lineterm="", n=3))[2:]
        assert sum(line[:1] in "+-" for line in ours.splitlines()) <= 2 * sum(
            line[:1] in "+-" for line in reference) + 2


def _apply(old: list[str], patch: str) -> list[str]:
    """Apply a unified diff (as `patch` would) to check that it is a correct one."""
    out, position = [], 0
    for line in patch.splitlines():
        if line.startswith("@@"):
            start, length = line.split()[1][1:].partition(",")[::2]
            first = int(start) - (1 if length != "0" else 0)
            out += old[position:first]
            position = first
        elif line[:1] == "+":
            out.append(line[1:])
        else:
            assert old[position] == line[1:]
            out += [line[1:]] if line[:1] == " " else []
            position += 1
    return out + old[position:]
