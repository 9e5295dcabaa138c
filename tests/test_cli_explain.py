"""`infraforge explain`: a resolved value and the chain of files and lines that set it."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import write

API = "catalog/tenants/payments/services/api.yaml"


def _line_of(project: Path, path: str, text: str, occurrence: int = 1) -> int:
    lines = (project / path).read_text().splitlines()
    hits = [number for number, line in enumerate(lines, 1) if text in line]
    return hits[occurrence - 1]


def test_service_value_shows_every_layer_in_merge_order(project: Path, run_cli) -> None:
    result = run_cli("-C", str(project), "explain", "payments/prod", "api", "replicas")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "payments/prod api replicas = 4"
    assert lines[1] == "  1. built-in defaults: 1"
    overlay_line = _line_of(project, "overlays/prod.yaml", "replicas: 3")
    assert lines[2].startswith(f"  2. overlays/prod.yaml:{overlay_line}:")
    api_line = _line_of(project, API, "replicas: 4")
    assert lines[3].startswith(f"  3. {API}:{api_line}:") and lines[3].endswith(": 4")


def test_unit_value_from_the_request_document(project: Path, run_cli) -> None:
    result = run_cli("-C", str(project), "explain", "payments/prod", "database.size")
    assert result.code == 0, result.err
    first, *chain = result.out.splitlines()
    assert first == 'payments/prod database.size = "50Gi"'
    assert chain[-2].startswith("  3. catalog/tenants/payments/requests.yaml:")
    assert "requests.yaml" in chain[-1]


def test_named_list_items_are_addressed_by_name(project: Path, run_cli) -> None:
    result = run_cli("-C", str(project), "explain", "payments/prod", "api", "env.LOG_FORMAT.value")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == 'payments/prod api env.LOG_FORMAT.value = "json-compact"'
    assert result.out.count(API) >= 2, "the base value and the prod override are both shown"


def test_deletion_marker_is_shown_in_the_chain(project: Path, run_cli) -> None:
    tenant = project / "catalog/tenants/search/tenant.yaml"
    tenant.write_text(tenant.read_text() + "  workload:\n    probes:\n      readiness:\n"
                      "        $patch: replace\n        path: /ready\n")
    result = run_cli("-C", str(project), "explain", "search/dev", "indexer",
                     "probes.readiness.path")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == 'search/dev indexer probes.readiness.path = "/ready"'
    assert "replaced" in result.out


def test_json_format(project: Path, run_cli) -> None:
    result = run_cli("-C", str(project), "explain", "payments/prod", "quota.limits.cpu",
                     "--format", "json")
    data = json.loads(result.out)
    assert data["query"] == "payments/prod quota.limits.cpu"
    assert [step["source"] for step in data["chain"]][:2] == ["built-in defaults",
                                                             "overlays/prod.yaml"]


def test_misspelt_path_service_tenant_and_environment(project: Path, run_cli) -> None:
    cases = {
        ("payments/prod", "api", "replicaz"): "did you mean 'replicas'?",
        ("payments/prod", "apii", "replicas"): "did you mean 'api'?",
        ("paymnts/prod", "quota"): "did you mean 'payments'?",
        ("payments/prd", "quota"): "did you mean 'prod'?",
    }
    for args, hint in cases.items():
        result = run_cli("-C", str(project), "explain", *args)
        assert result.code == 1, args
        assert "EXPLAIN" in result.err and hint in result.err, result.err


def test_bad_catalog_is_reported_not_explained(project: Path, run_cli) -> None:
    write(project / API, "kind: Service\n")
    result = run_cli("-C", str(project), "explain", "payments/prod", "quota")
    assert result.code == 1 and "Traceback" not in result.err


def test_usage_error(project: Path, run_cli) -> None:
    result = run_cli("-C", str(project), "explain", "payments", "quota")
    assert result.code == 1 and "expected TENANT/ENV [SERVICE] PATH" in result.err
