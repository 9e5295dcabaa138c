"""`infraforge render` and `render --check` through the real entry point."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import tree_bytes, write
from infraforge.write import writer


def test_render_writes_tree_and_rerender_writes_nothing(project: Path, run_cli) -> None:
    first = run_cli("-C", str(project), "render")
    assert first.code == 0, first.err
    assert "rendered/: 53 added" in first.err or "added, 0 changed" in first.err
    before = {p: p.stat().st_mtime_ns for p in (project / "rendered").rglob("*") if p.is_file()}
    second = run_cli("-C", str(project), "render")
    assert second.code == 0
    assert "nothing changed since the last render: 0 files written" in second.err
    after = {p: p.stat().st_mtime_ns for p in (project / "rendered").rglob("*") if p.is_file()}
    assert before == after, "an unchanged catalog must not rewrite any file"


def test_hand_edited_output_is_restored_by_the_next_render(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    manifest = project / "rendered/dev/search/workloads/manifest.yaml"
    rendered = manifest.read_bytes()
    manifest.write_bytes(rendered.replace(b"replicas: 1", b"replicas: 9"))
    result = run_cli("-C", str(project), "render")
    assert "rendered/: 0 added, 1 changed, 0 removed" in result.err
    assert manifest.read_bytes() == rendered


def test_deleted_output_is_restored_by_the_next_render(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    readme = project / "rendered/prod/payments/workloads/README.md"
    readme.unlink()
    result = run_cli("-C", str(project), "render")
    assert "rendered/: 1 added, 0 changed, 0 removed" in result.err and readme.is_file()


def test_check_passes_when_fresh_and_lists_stale_files(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    assert run_cli("-C", str(project), "render", "--check").code == 0
    service = project / "catalog/tenants/search/services/query.yaml"
    service.write_text(service.read_text().replace("query:3.2.0", "query:3.3.0"))
    snapshot = tree_bytes(project / "rendered")
    result = run_cli("-C", str(project), "render", "--check")
    assert result.code == 1
    assert "changed: rendered/dev/search/workloads/manifest.yaml" in result.out
    assert "changed: rendered/prod/search/workloads/manifest.yaml" in result.out
    assert "payments" not in result.out
    assert tree_bytes(project / "rendered") == snapshot, "--check must not write"


def test_check_on_empty_output_reports_missing(project: Path, run_cli) -> None:
    result = run_cli("-C", str(project), "render", "--check")
    assert result.code == 1
    assert "missing: rendered/prod/payments/workloads/manifest.yaml" in result.out
    assert not (project / "rendered").exists()


@pytest.mark.parametrize("seed", ["0", "1", "12345"])
def test_output_is_identical_across_hash_seeds_timezones_and_cwd(project: Path, tmp_path: Path,
                                                                 seed: str) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(project, reference)
    env = {**os.environ, "PYTHONHASHSEED": "7", "TZ": "UTC", "LC_ALL": "C"}
    _render(reference, env, cwd=reference)
    env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": "Asia/Kolkata", "LC_ALL": "C.UTF-8"}
    _render(project, env, cwd=tmp_path)
    assert tree_bytes(project / "rendered") == tree_bytes(reference / "rendered")


def _render(project: Path, env: dict[str, str], cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "infraforge", "-C", str(project), "render"],
                   env=env, cwd=cwd, check=True, capture_output=True)


def test_removed_tenant_is_pruned_and_unmanaged_files_survive(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    rendered = project / "rendered"
    write(rendered / ".git" / "HEAD", "ref: refs/heads/rendered\n")
    write(rendered / "notes.md", "hand-written, not ours\n")
    write(rendered / "platform" / "extra.yaml", "kind: ConfigMap\n")
    write(rendered / "dev" / "analytics" / "local.txt", "someone's file\n")
    shutil.rmtree(project / "catalog/tenants/analytics")
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
    remaining = tree_bytes(rendered)
    assert not any(path.startswith(("dev/analytics/workloads", "staging/analytics",
                                    "backstage/analytics")) for path in remaining)
    assert remaining[".git/HEAD"] == b"ref: refs/heads/rendered\n"
    assert remaining["notes.md"] == b"hand-written, not ours\n"
    assert "platform/extra.yaml" in remaining
    assert "dev/analytics/local.txt" in remaining, "a folder with foreign files is kept"
    assert b"analytics" not in remaining["dev/argocd/manifest.yaml"]


def test_failure_while_staging_leaves_previous_tree_intact(project: Path, run_cli,
                                                           monkeypatch) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    before = tree_bytes(project / "rendered")
    overlay = project / "overlays/prod.yaml"
    overlay.write_text(overlay.read_text().replace("pods: 100", "pods: 120"))
    original = writer._write_file
    calls = {"n": 0}

    def failing_write(target: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the first staged file lands, the second fails
            raise OSError(28, "No space left on device")
        original(target, data)

    monkeypatch.setattr(writer, "_write_file", failing_write)
    result = run_cli("-C", str(project), "render")
    monkeypatch.undo()
    assert result.code == 1 and "OUTPUT-WRITE" in result.err and "No space" in result.err
    assert tree_bytes(project / "rendered") == before, "previous tree must be byte-identical"
    retry = run_cli("-C", str(project), "render")
    assert retry.code == 0, retry.err
    assert not (project / "rendered" / writer.STAGING).exists()
    guardrails = project / "rendered/prod/payments/guardrails/manifest.yaml"
    assert b'pods: "120"' in guardrails.read_bytes()


def test_interrupted_apply_is_rolled_forward_by_the_next_run(project: Path, run_cli,
                                                             monkeypatch) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    service = project / "catalog/tenants/search/services/query.yaml"
    service.write_text(service.read_text().replace("query:3.2.0", "query:3.3.0"))

    def crash(root: Path, staging: Path) -> None:
        raise KeyboardInterrupt  # the process dies right after the journal is committed

    monkeypatch.setattr(writer, "_apply", crash)
    assert run_cli("-C", str(project), "render").code == 130
    monkeypatch.undo()
    assert (project / "rendered" / writer.STAGING / writer.JOURNAL).is_file()
    assert run_cli("-C", str(project), "render").code == 0
    assert b"query:3.3.0" in (project / "rendered/prod/search/workloads/manifest.yaml").read_bytes()
    assert not (project / "rendered" / writer.STAGING).exists()


def test_failure_while_building_a_fresh_tree_leaves_nothing(project: Path, run_cli,
                                                           monkeypatch) -> None:
    def failing_write(target: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "_write_file", failing_write)
    result = run_cli("-C", str(project), "render")
    assert result.code == 1 and "OUTPUT-WRITE" in result.err
    assert sorted(p.name for p in project.iterdir() if p.name != ".infraforge-cache") == [
        "catalog", "overlays"], "no output folder, not even a half-built one"


def test_bad_catalog_writes_nothing(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    before = tree_bytes(project / "rendered")
    write(project / "catalog/tenants/search/services/query.yaml", "kind: Service\nspec: [\n")
    result = run_cli("-C", str(project), "render")
    assert result.code == 1
    assert tree_bytes(project / "rendered") == before


def test_concurrent_render_is_refused_while_locked(project: Path, run_cli) -> None:
    lock = project / "rendered" / writer.LOCK
    write(lock, json.dumps({"pid": os.getppid(), "host": os.uname().nodename}))
    result = run_cli("-C", str(project), "render")
    assert result.code == 1
    assert "OUTPUT-LOCKED" in result.err and f"pid {os.getppid()}" in result.err


def test_stale_lock_of_a_dead_process_is_taken_over(project: Path, run_cli) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    write(project / "rendered" / writer.LOCK,
          json.dumps({"pid": dead.pid, "host": os.uname().nodename}))
    assert run_cli("-C", str(project), "render").code == 0
    assert not (project / "rendered" / writer.LOCK).exists()


def test_version_is_printed(run_cli) -> None:
    result = run_cli("--version")
    assert result.code == 0 and result.out.startswith("infraforge ")


def test_the_console_script_flushes_its_output_and_keeps_the_exit_code(project: Path) -> None:
    # `run` leaves with os._exit (no heap teardown): piped output must still arrive in full
    check = _console_script(project, "render", "--check")
    assert check.returncode == 1, check.stderr
    missing = [line for line in check.stdout.splitlines() if line.startswith("missing: ")]
    assert len(missing) > 50 and check.stdout.endswith("\n")
    assert "run `infraforge render`" in check.stderr
    write(project / "catalog/tenants/search/tenant.yaml", "kind: [unclosed\n")
    broken = _console_script(project, "render")
    assert broken.returncode == 1
    assert "catalog/tenants/search/tenant.yaml:2:1: YAML-SYNTAX" in broken.stderr
    assert not (project / "rendered").exists()


def _console_script(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "infraforge", "-C", str(project), *args],
                          check=False, capture_output=True, text=True, timeout=120)


def test_an_in_process_caller_gets_the_compile_back_as_garbage(project: Path, run_cli) -> None:
    # only the console script (which leaves with os._exit) keeps the compile alive to the end
    from infraforge import cli

    assert run_cli("-C", str(project), "render").code == 0
    assert cli._kept_until_exit == []
