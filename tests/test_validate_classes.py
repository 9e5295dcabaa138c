"""kubeconform judging one sample per class gives the findings it gives checking every document,
through the real binary; and what it reads as a bool or number is what go_yaml says it may."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from infraforge.check.class_key import class_key
from infraforge.check.class_plan import SchemaRoots
from infraforge.check.go_yaml import ambiguous, go_types_plain
from infraforge.check.kubeconform import command
from infraforge.check.schema_run import CLASSES_ENV
from infraforge.check.schema_store import SchemaStore
from infraforge.incremental.forked import ForkedCall
from validate_helpers import CORPUS, STORE, kubeconform_binary

CONFIG = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  flag: {flag}\n"
RULE = ("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: {name}\n"
        "spec:\n  groups:\n    - name: '{group}'\n      rules:\n        - alert: Down\n"
        "          expr: up == 0\n          for: {wait}\n")
# spec.description has maxLength 255, which kubeconform counts in code points
PROJECT = ("apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: {name}\n"
           "spec:\n  description: {text}\n  sourceRepos: ['*']\n")


def corpus(tree: Path) -> None:
    """Good documents repeated under other names (so they share classes), the bad fixtures,
    and pairs whose first member (the would-be sample) is good and the second bad."""
    for team in ("shop", "books", "games"):
        for name in ("core.yaml", "operators.yaml", "argocd.yaml"):
            text = (CORPUS / "good" / name).read_text().replace("shop", team)
            (tree / team).mkdir(exist_ok=True)
            (tree / team / name).write_text(text)
    for bad in (CORPUS / "bad").glob("*.yaml"):
        (tree / f"bad-{bad.name}").write_text(bad.read_text())
        (tree / f"bad-again-{bad.name}").write_text(bad.read_text())
    (tree / "a-quoted.yaml").write_text(CONFIG.format(name="quoted", flag='"yes"'))
    (tree / "b-plain.yaml").write_text(CONFIG.format(name="plain", flag="yes"))
    (tree / "c-rule.yaml").write_text(RULE.format(name="good", group="web", wait="5m"))
    (tree / "d-rule.yaml").write_text(RULE.format(name="bad", group="web", wait="5 minutes"))
    (tree / "d-rule-group.yaml").write_text(RULE.format(name="nameless", group="", wait="5m"))
    (tree / "h-project.yaml").write_text(PROJECT.format(name="long", text="é" * 255))
    (tree / "i-project.yaml").write_text(PROJECT.format(name="longer", text="é" * 256))
    (tree / "e-odd.yaml").write_text(  # kept whole: markers, a List, an alias, a leading zero
        CONFIG.format(name="dots", flag="a") + "...\n" + CONFIG.format(name="l", flag="[]")
        + "--- # two\napiVersion: v1\nkind: List\nitems: []\n")
    (tree / "f-alias.yaml").write_text(CONFIG.format(name="first", flag="&one a") + "---\n"
                                       + CONFIG.format(name="second", flag="017"))
    (tree / "g-mixed.yaml").write_text(  # an entity and a flow-style ConfigMap
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: shop\n"
        "spec:\n  type: service\n  lifecycle: production\n  owner: group:default/shop\n---\n"
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: shop}, data: {size: 3}}\n")


def validate(run_cli, monkeypatch, tree: Path, mode: str) -> tuple[dict, str]:
    monkeypatch.setenv(CLASSES_ENV, mode)
    result = run_cli("-C", str(tree.parent), "-v", "validate", "--tree", str(tree),
                     "--no-cache", "--format", "json", "--schema-store", str(STORE),
                     "--kubeconform", kubeconform_binary())
    assert result.code == 1, result.err
    return json.loads(result.out), result.err


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    folder = tmp_path / "tree"
    folder.mkdir()
    corpus(folder)
    return folder


def test_classes_and_whole_files_give_the_same_report(run_cli, monkeypatch, tree):
    with_classes, note = validate(run_cli, monkeypatch, tree, "on")
    without, _ = validate(run_cli, monkeypatch, tree, "off")
    assert with_classes == without
    assert "classes sampled" in note
    sampled, documents = (int(word) for word in note.split()[1:6:4])
    assert sampled < documents  # the good copies really shared samples


def test_a_bad_member_behind_a_good_sample_is_still_reported(run_cli, monkeypatch, tree):
    report, _ = validate(run_cli, monkeypatch, tree, "on")
    found = {(Path(d["file"]).name, d["rule"]): d["message"] for d in report["diagnostics"]}
    assert "got boolean, want null or string" in found["b-plain.yaml", "SCHEMA-INVALID"]
    assert "does not match pattern" in found["d-rule.yaml", "SCHEMA-INVALID"]
    assert "minLength: got 0, want 1" in found["d-rule-group.yaml", "SCHEMA-INVALID"]
    assert "maxLength: got 256, want 255" in found["i-project.yaml", "SCHEMA-INVALID"]
    for name in ("a-quoted.yaml", "c-rule.yaml", "h-project.yaml"):
        assert (name, "SCHEMA-INVALID") not in found
    for name in ("wrong-type.yaml", "unknown-field.yaml"):  # a failed sample: every member
        assert (f"bad-{name}", "SCHEMA-INVALID") in found
        assert (f"bad-again-{name}", "SCHEMA-INVALID") in found


def test_such_pairs_never_share_a_class():
    roots = SchemaRoots(SchemaStore(STORE))

    def key(text: str) -> tuple | None:
        from infraforge.check.documents import load_document

        body = load_document(text)
        return class_key(body, roots.root(body["apiVersion"], body["kind"]))

    rule = {"name": "a", "group": "web", "wait": "5m"}
    assert key(RULE.format(**rule)) == key(RULE.format(**{**rule, "name": "b", "group": "db"}))
    assert key(RULE.format(**rule)) != key(RULE.format(**{**rule, "wait": "5 minutes"}))
    assert key(RULE.format(**rule)) != key(RULE.format(**{**rule, "group": ""}))
    short = key(PROJECT.format(name="a", text="short"))
    assert short == key(PROJECT.format(name="b", text="é" * 255))
    assert short != key(PROJECT.format(name="c", text="é" * 256))
    assert key(CONFIG.format(name="a", flag="yes")) is None
    assert key(CONFIG.format(name="a", flag="x")) == key(CONFIG.format(name="b", flag="y1"))


CANDIDATES = ("yes", "no", "on", "Off", "y", "N", "true", "False", "~", "null", "0.5", ".5",
              "017", "0o17", "0x1f", "0X1F", "0b101", "0B11", "-0b1", "1_000", "0_17", "1e3",
              "+12", "-.5e3", "1.", "08", "09.5", "2024-01-02", "2024-1-2", "12:30", "500m",
              "1.0.3", "team-00001", "v1", ".inf", "-.Inf", ".nan", "<<", "0x_1f", "1__0", "+.5")


def test_what_kubeconform_reads_as_no_string_is_what_go_yaml_says_it_may(tmp_path):
    for number, text in enumerate(CANDIDATES):  # a file each: an unreadable one has no name
        (tmp_path / f"{number}.yaml").write_text(CONFIG.format(name="plain", flag=text))
    done = subprocess.run(command(Path(kubeconform_binary()), SchemaStore(STORE), ["."]),
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    typed = {CANDIDATES[int(Path(item["filename"]).stem)]
             for item in json.loads(done.stdout)["resources"]}
    assert {"yes", "Off", "N", "0.5", "1_000", "0b101", "true"} <= typed  # not vacuous
    assert {"500m", "team-00001", "1.0.3", "v1", "12:30"}.isdisjoint(typed)
    assert {text for text in typed if not go_types_plain(text)} == set()
    assert {"yes", "Off", "N"} <= {text for text in typed if ambiguous(text)}


def test_the_forked_call_returns_its_value_and_raises_its_error():
    assert ForkedCall(sorted, [3, 1, 2]).result() == [1, 2, 3]
    with pytest.raises(ValueError, match="invalid literal"):
        ForkedCall(int, "x").result()


def test_a_refused_fork_runs_the_call_here_or_not_at_all(monkeypatch):
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # EAGAIN

    monkeypatch.setattr(os, "fork", refused)
    here = ForkedCall(sorted, [3, 1, 2])
    assert not here.forked and here.result() == [1, 2, 3]
    ran = []
    skipped = ForkedCall(ran.append, 1, inline=False)
    assert not skipped.forked and ran == []
    with pytest.raises(ChildProcessError):
        skipped.result()


def test_another_kubeconform_build_gets_every_file_as_it_is(run_cli, monkeypatch, tree,
                                                              tmp_path):
    """The class key emulates one build's YAML reading and string rules; a binary whose build
    information names another version is never given samples, even on a large tree."""
    real = Path(kubeconform_binary())
    other = tmp_path / "kubeconform"
    other.write_bytes(real.read_bytes().replace(b"github.com/yannh/kubeconform\tv0.7.0\t",
                                                b"github.com/yannh/kubeconform\tv0.7.9\t"))
    other.chmod(0o755)
    monkeypatch.setenv(CLASSES_ENV, "auto")
    monkeypatch.setattr("infraforge.check.schema_run.CLASSES_FROM_BYTES", 1)
    args = ("-C", str(tree.parent), "-v", "validate", "--tree", str(tree), "--no-cache",
            "--format", "json", "--schema-store", str(STORE))
    assert "classes sampled" in run_cli(*args, "--kubeconform", str(real)).err
    result = run_cli(*args, "--kubeconform", str(other))
    assert result.code == 1, result.err
    assert "classes sampled" not in result.err and "as they are" in result.err
