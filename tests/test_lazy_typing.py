"""Documents whose file compiled cleanly before are typed only when something reads them
(validate/catalog.py, Entry): the rules between documents must see exactly what they saw when
every document was typed, and report it the same way."""

from __future__ import annotations

import collections
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from infraforge.incremental.store import CACHE_DIR
from infraforge.validate import catalog as catalog_module

SERVICE = "catalog/tenants/search/services/query.yaml"


def _typed(monkeypatch) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    parse = catalog_module.parse_document

    def counted(doc):  # a spy with the real function's signature
        counts[doc.file] += 1
        return parse(doc)

    monkeypatch.setattr(catalog_module, "parse_document", counted)
    return counts


def test_a_one_tenant_change_types_that_tenants_documents(project: Path, run_cli,
                                                          monkeypatch) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    service = project / SERVICE
    service.write_text(service.read_text().replace("query:3.2.0", "query:3.9.9"))
    typed = _typed(monkeypatch)
    assert run_cli("-C", str(project), "render").code == 0
    assert set(typed) == {SERVICE, "catalog/platform.yaml", "catalog/tenants/search/tenant.yaml",
                          "catalog/tenants/search/services/indexer.yaml"}
    typed.clear()
    shutil.rmtree(project / CACHE_DIR)  # nothing vouched for: every document is typed
    assert run_cli("-C", str(project), "render").code == 0
    assert len(typed) == len(list((project / "catalog").rglob("*.yaml"))) + 3  # and overlays


def test_a_failed_compile_vouches_for_nothing(project: Path, run_cli, monkeypatch) -> None:
    service = project / SERVICE
    service.write_text(service.read_text().replace("port: 8080", "port: eighty"))
    assert run_cli("-C", str(project), "render").code == 1
    assert not (project / CACHE_DIR / "compile").exists() or not any(
        (project / CACHE_DIR / "compile").glob("documents-*.pickle"))
    typed = _typed(monkeypatch)
    result = run_cli("-C", str(project), "render")
    assert result.code == 1 and SERVICE in typed


def _move_service_to_payments(project: Path) -> None:
    (project / SERVICE).rename(project / "catalog/tenants/payments/services/query.yaml")


def _duplicate_service(project: Path) -> None:
    shutil.copy(project / SERVICE, project / "catalog/tenants/search/services/query-copy.yaml")


def _drop_overridden_environment(project: Path) -> None:
    tenant = project / "catalog/tenants/search/tenant.yaml"
    tenant.write_text(tenant.read_text().replace("environments: [dev, prod]",
                                                 "environments: [dev]"))
    (project / "catalog/tenants/search/requests.yaml").write_text("")


@pytest.mark.parametrize("change", [_move_service_to_payments, _duplicate_service,
                                    _drop_overridden_environment])
def test_rules_between_documents_report_as_with_every_document_typed(
        project: Path, tmp_path: Path, run_cli, change: Callable[[Path], None]) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    cold = tmp_path / "cold"
    shutil.copytree(project, cold, ignore=shutil.ignore_patterns(CACHE_DIR))
    change(project)
    change(cold)
    warm_result, cold_result = (run_cli("-C", str(where), "render") for where in (project, cold))
    assert warm_result.code == cold_result.code == 1
    assert warm_result.err.replace(str(project), "") == cold_result.err.replace(str(cold), "")
    assert "error" in warm_result.err


def test_merge_markers_are_not_environments(tmp_path: Path) -> None:
    from infraforge.load.yaml_source import YamlDocument
    from infraforge.validate.catalog import Entry

    data = {"apiVersion": "platform.infraforge.io/v1", "kind": "Service",
            "metadata": {"name": "api"},
            "spec": {"tenant": "shop", "environments": {"$patch": "replace", "prod": {}}}}
    entry = Entry(YamlDocument(data, "catalog/tenants/shop/services/api.yaml", 0, b"", True))
    assert (entry.tenant, entry.name, entry.overrides) == ("shop", "api", ["prod"])
