"""The compile cache never changes what is rendered: a warm render equals a cold one.

Each case renders once to fill the cache, changes the catalog (edit, rename, delete, overlay,
generator version), renders again with the cache, and compares with a cold render of the same
catalog in a fresh copy.
"""

from __future__ import annotations

import pickle
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import tree_bytes
from infraforge.incremental import fingerprint
from infraforge.incremental.state import STATE_FILE
from infraforge.incremental.store import CACHE_DIR

SERVICE = "catalog/tenants/search/services/query.yaml"


def edit(project: Path) -> None:
    path = project / SERVICE
    path.write_text(path.read_text().replace("query:3.2.0", "query:3.9.9"))


def rename(project: Path) -> None:
    (project / SERVICE).rename(project / "catalog/tenants/search/services/query-svc.yaml")


def delete(project: Path) -> None:
    (project / SERVICE).unlink()


def change_overlay(project: Path) -> None:
    path = project / "overlays/prod.yaml"
    path.write_text(path.read_text().replace("pods: 100", "pods: 90"))


# fields only the Backstage entities read
def describe_service(project: Path) -> None:
    service = project / SERVICE
    service.write_text(service.read_text().replace("from the storefront.", "from the shop."))


def retitle_tenant(project: Path) -> None:
    tenant = project / "catalog/tenants/search/tenant.yaml"
    tenant.write_text(tenant.read_text().replace("displayName: Search", "displayName: Finding"))


def leave_first_environment(project: Path) -> None:
    # the unit that rendered the tenant's Backstage file (its first) goes: its next one takes over
    tenant = project / "catalog/tenants/analytics/tenant.yaml"
    tenant.write_text(tenant.read_text().replace("environments: [dev, staging]",
                                                 "environments: [staging]"))


REACHES_BACKSTAGE = {"describe_service": b"from the shop.", "retitle_tenant": b"title: Finding"}


def swap_contents(project: Path) -> None:
    # two files exchange their bytes: every hash still exists in the cache, under other names
    a, b = project / "catalog/tenants/search/services/query.yaml", \
        project / "catalog/tenants/search/services/indexer.yaml"
    a_text, b_text = a.read_text(), b.read_text()
    a.write_text(b_text)
    b.write_text(a_text)


@pytest.mark.parametrize("change", [edit, rename, delete, change_overlay, describe_service,
                                    retitle_tenant, swap_contents, leave_first_environment])
def test_cached_render_equals_cold_render(project: Path, tmp_path: Path, run_cli,
                                          change: Callable[[Path], None]) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    assert (project / CACHE_DIR).is_dir()
    change(project)
    warm = run_cli("-C", str(project), "render")
    cold_project = tmp_path / "cold"
    shutil.copytree(project, cold_project, ignore=shutil.ignore_patterns(
        CACHE_DIR, "rendered", "appsets"))
    cold = run_cli("-C", str(cold_project), "render")
    assert (warm.code, cold.code) == (0, 0), warm.err + cold.err
    assert tree_bytes(project / "rendered") == tree_bytes(cold_project / "rendered")
    if change.__name__ in REACHES_BACKSTAGE:  # or the test would pass without looking
        entities = tree_bytes(project / "rendered")["backstage/search.yaml"]
        assert REACHES_BACKSTAGE[change.__name__] in entities
    assert "backstage/analytics.yaml" in tree_bytes(project / "rendered")


def test_positions_of_cached_documents_are_exact(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    # query.yaml is unchanged, so it comes from the cache; the duplicate is reported on it
    copy = project / "catalog/tenants/search/services/query-copy.yaml"
    copy.write_text((project / SERVICE).read_text())
    result = run_cli("-C", str(project), "render")
    assert f"{SERVICE}:4:9: DUPLICATE-NAME" in result.err, result.err
    assert "query-copy.yaml:4:9" in result.err


@pytest.mark.parametrize("upgrade", ["generator", "library"])
def test_new_generator_version_ignores_the_cache(project: Path, run_cli, monkeypatch,
                                                 upgrade: str) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    shards = sorted((project / CACHE_DIR / "compile").glob("documents-*.pickle"))
    assert shards, "the parsed catalog is cached"
    for shard in shards:
        key, entries = pickle.loads(shard.read_bytes())
        poisoned = {sha: [{"poisoned": True}] for sha in entries}
        shard.write_bytes(pickle.dumps((key, poisoned)))
    if upgrade == "generator":
        monkeypatch.setattr(fingerprint.infraforge, "__version__", "99.0.0")
    else:  # a pydantic upgrade may type differently: no verdict of the old one is kept
        libraries = fingerprint.installed_libraries()
        assert any(name.startswith("pydantic-") for name in libraries)
        monkeypatch.setattr(fingerprint, "installed_libraries", lambda: [
            "pydantic-99.0.dist-info" if name.startswith("pydantic-") else name
            for name in libraries])
    fingerprint.generator_fingerprint.cache_clear()
    (project / STATE_FILE).unlink()  # a compile, not the no-op answer, must be what ignores it
    try:
        result = run_cli("-C", str(project), "render")
    finally:
        fingerprint.generator_fingerprint.cache_clear()
    assert result.code == 0, "entries written by another generator version must not be used"


def test_the_generator_fingerprint_covers_every_source_it_ships() -> None:
    # a C source (emit/walker.c) decides output as much as a Python one: editing either must
    # invalidate the cache
    package = Path(fingerprint.PACKAGE)
    shipped = subprocess.run(["git", "ls-files", "."], cwd=package, capture_output=True,
                             text=True, check=True).stdout.split()
    assert "emit/walker.c" in shipped
    assert set(shipped) <= {relative for relative, _ in fingerprint._sources()}


def test_unreadable_cache_is_ignored(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    for pickle_file in (project / CACHE_DIR).rglob("*.pickle"):
        pickle_file.write_bytes(b"not a pickle")
    assert run_cli("-C", str(project), "render").code == 0


def test_cache_can_be_deleted_any_time(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    before = tree_bytes(project / "rendered")
    shutil.rmtree(project / CACHE_DIR)
    assert run_cli("-C", str(project), "render").code == 0
    assert tree_bytes(project / "rendered") == before


def test_one_tenant_change_rerenders_only_that_tenant(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    edit(project)
    result = run_cli("-C", str(project), "render")
    assert "blast radius: 2 of 10 units re-rendered (search/dev, search/prod)" in result.err


def test_overlay_change_rerenders_every_unit_of_that_environment(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    change_overlay(project)
    result = run_cli("-C", str(project), "render")
    assert ("blast radius: 3 of 10 units re-rendered (identity/prod, payments/prod, search/prod)"
            in result.err)


def test_unchanged_catalog_rerenders_nothing(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    result = run_cli("-C", str(project), "render")
    assert "nothing changed since the last render: 0 files written" in result.err
    # without the state file, the units still all come from the cache
    (project / STATE_FILE).unlink()
    result = run_cli("-C", str(project), "render")
    assert "blast radius: 0 of 10 units re-rendered" in result.err
    assert "rendered/: 0 added, 0 changed, 0 removed" in result.err


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\xfb\x01\x00\x00\x00"])
def test_a_damaged_state_file_costs_a_full_look_not_a_wrong_answer(project: Path, run_cli,
                                                                    damage: bytes) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    (project / STATE_FILE).write_bytes(damage)
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
    assert "nothing changed" not in result.err
    assert "rendered/: 0 added, 0 changed, 0 removed" in result.err
    again = run_cli("-C", str(project), "render")  # and the state is whole again
    assert "nothing changed since the last render: 0 files written" in again.err


def test_a_touched_output_or_input_takes_the_full_path(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    service = project / SERVICE
    service.write_text(service.read_text() + "\n")  # same data, different bytes
    result = run_cli("-C", str(project), "render")
    assert "nothing changed" not in result.err
    assert "rendered/: 0 added, 0 changed, 0 removed" in result.err
    assert "nothing changed" in run_cli("-C", str(project), "render").err


def test_other_options_take_the_full_path(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    result = run_cli("-C", str(project), "render", "--source-commit", "abc123")
    assert "nothing changed" not in result.err
    assert b'"drySha": "abc123"' in (project / "rendered/hydrator.metadata").read_bytes()


def test_parallel_render_equals_serial_render(project: Path, tmp_path: Path, run_cli,
                                              monkeypatch) -> None:
    from infraforge.incremental import parallel

    serial = tmp_path / "serial"
    shutil.copytree(project, serial)
    monkeypatch.setenv("INFRAFORGE_WORKERS", "1")
    assert run_cli("-C", str(serial), "render").code == 0
    monkeypatch.setenv("INFRAFORGE_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)  # fork even for ten units
    assert run_cli("-C", str(project), "render").code == 0
    assert tree_bytes(project / "rendered") == tree_bytes(serial / "rendered")


def test_problems_found_in_worker_processes_match_a_serial_run(project: Path, run_cli,
                                                                monkeypatch) -> None:
    """Units are checked where they are rendered: in forked workers the same problems must
    come back, aggregated across environments, and nothing may be written or cached."""
    from infraforge.incremental import parallel

    service = project / "catalog/tenants/search/services/query.yaml"
    service.write_text(service.read_text().replace("uses: [", "uses: [messaging, ", 1))
    monkeypatch.setenv("INFRAFORGE_WORKERS", "1")
    serial = run_cli("-C", str(project), "render")
    monkeypatch.setenv("INFRAFORGE_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    forked = run_cli("-C", str(project), "render")
    assert serial.code == forked.code == 1
    assert "CAPABILITY-NOT-ENABLED" in forked.err and "(in dev, prod)" in forked.err, forked.err
    assert forked.err == serial.err
    assert not (project / "rendered").exists()


def test_one_tenant_change_writes_only_that_tenants_files(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    rendered = project / "rendered"
    before = {p: p.stat().st_mtime_ns for p in rendered.rglob("*") if p.is_file()}
    edit(project)  # search/query's image tag
    assert run_cli("-C", str(project), "render").code == 0
    written = sorted(p.relative_to(rendered).as_posix() for p in rendered.rglob("*")
                     if p.is_file() and before.get(p) != p.stat().st_mtime_ns)
    assert written == ["dev/search/workloads/manifest.yaml", "prod/search/workloads/manifest.yaml"]


def test_one_tenant_change_rewrites_only_the_cache_shards_of_its_units(project: Path,
                                                                         run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    folder = project / CACHE_DIR / "compile"
    before = {p: p.stat().st_mtime_ns for p in folder.glob("units-*.pickle")}
    edit(project)  # search: two units (dev, prod), each leaving one shard and joining one
    assert run_cli("-C", str(project), "render").code == 0
    after = {p: p.stat().st_mtime_ns for p in folder.glob("units-*.pickle")}
    written = [p for p, mtime in after.items() if before.get(p) != mtime]
    assert 1 <= len(written) <= 4 < len(after)
