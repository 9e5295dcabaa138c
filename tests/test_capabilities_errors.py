"""One bad fixture per capability rule: the example project with one edit, reported as
`file:line:col: RULE` at the line that causes it, exit code 1, nothing written. The good fixture
of every rule is the example catalog itself, which renders clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write

API = "catalog/tenants/payments/services/api.yaml"
WORKER = "catalog/tenants/payments/services/worker.yaml"
QUERY = "catalog/tenants/search/services/query.yaml"
INDEXER = "catalog/tenants/search/services/indexer.yaml"
AUTH = "catalog/tenants/identity/services/auth.yaml"
PLATFORM = "catalog/platform.yaml"
KEDA = "    - name: keda\n      repoURL: https://kedacore.github.io/charts\n"

# rule, file, text to replace, replacement, the text on the line the diagnostic must point at
# (its last occurrence), what the message says. A conflict is reported at every claimant after
# the first (services in name order), so a database the api also claims is reported at worker.
REPORTED_AT = {"DATABASE-CONFLICT": WORKER}
CASES = [
    ("CAPABILITY-NOT-ENABLED", INDEXER, "uses: [objectStorage]", "uses: [objectStorage, messaging]",
     "uses: [objectStorage, messaging]", "in dev, prod"),
    ("CAPABILITY-NOT-USED", AUTH, "  uses: [database]\n",
     "  uses: [database]\n  messaging:\n    vhost: identity\n", "  messaging:", "in dev"),
    ("QUEUE-NOT-DECLARED", WORKER, "    queue: settlements", "    queue: settlement",
     "    queue: settlement", "did you mean 'settlements'?"),
    ("SCALING-QUEUE", QUERY, "scaling: {enabled: true, minReplicas: 1, maxReplicas: 4}",
     "scaling: {enabled: true, mode: queue, queue: q, minReplicas: 1, maxReplicas: 4}",
     "mode: queue", "does not use messaging"),
    ("QUEUE-CONFLICT", WORKER, "      - name: settlements\n",
     "      - name: settlements\n        type: classic\n", "  messaging:", "with other settings"),
    ("DATABASE-CONFLICT", API, "  uses: [database, cache, messaging]\n",
     "  uses: [database, cache, messaging]\n  database: {name: ledger}\n", "  database:",
     "'ledger' is also declared by service 'api'"),
    ("DATABASE-NAME", WORKER, "    name: ledger", "    name: postgres", "    name: postgres",
     "is reserved"),
    ("BUCKET-CONFLICT", QUERY, "      - name: search-index\n",
     "      - name: search-index\n        objectLock: true\n", "  objectStorage:",
     "also declared by service 'indexer'"),
    ("ENV-CONFLICT", API, "    - name: LOG_FORMAT\n      value: json\n",
     "    - name: REDIS_HOST\n      value: localhost\n", "REDIS_HOST", "set by the cache"),
    ("RESERVED-NAME", QUERY, "  name: query", "  name: minio", "  name: minio",
     "used by a capability"),
    ("OPERATOR-MISSING", PLATFORM, KEDA + "      chart: keda\n      version: 2.17.2\n", "",
     "  operators:", "keda is not in spec.operators"),
    ("DUPLICATE-NAME", PLATFORM, KEDA, KEDA + "      chart: keda\n      version: 2.17.2\n" + KEDA,
     "    - name: keda", "listed twice"),
    ("INVALID-VALUE", "overlays/prod.yaml", 'schedule: "0 1 * * *"', 'schedule: "0 0 1 * * *"',
     "schedule:", "not a 5-field cron"),
    ("INVALID-VALUE", "overlays/staging.yaml", "volumesPerServer: 2", "volumesPerServer: 1",
     "objectStorage:", "at least 4"),
]


def edit(project: Path, file: str, old: str, new: str) -> str:
    path = project / file
    text = path.read_text()
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))
    return path.read_text()


@pytest.mark.parametrize(("rule", "file", "old", "new", "marker", "says"), CASES,
                         ids=[f"{c[0]}-{c[1].rsplit('/', 1)[-1]}" for c in CASES])
def test_rule_points_at_the_line(project: Path, run_cli, rule: str, file: str, old: str,
                                 new: str, marker: str, says: str) -> None:
    edit(project, file, old, new)
    file = REPORTED_AT.get(rule, file)
    text = (project / file).read_text()
    line = [n for n, content in enumerate(text.splitlines(), 1) if marker in content][-1]
    result = run_cli("-C", str(project), "render")
    assert result.code == 1, result.err
    lines = [entry for entry in result.err.splitlines() if f": {rule}: " in entry]
    assert any(entry.startswith(f"{file}:{line}:") for entry in lines), result.err
    assert says in result.err
    assert "Traceback" not in result.err
    assert not (project / "rendered").exists()


def test_every_problem_is_reported_at_once(project: Path, run_cli) -> None:
    for _, file, old, new, _, _ in (CASES[0], CASES[2], CASES[8]):
        edit(project, file, old, new)
    result = run_cli("-C", str(project), "render")
    assert result.code == 1
    assert {"CAPABILITY-NOT-ENABLED", "QUEUE-NOT-DECLARED", "ENV-CONFLICT"} <= {
        entry.split(": ")[1] for entry in result.err.splitlines() if ": " in entry
        and entry.split(":")[0].startswith("catalog/")}


def test_backup_role_names_stay_within_iam_limits(project: Path, run_cli) -> None:
    tenant = "t" * 48  # its staging namespace makes pg-backup-<ns> 66 characters
    write(project / f"catalog/tenants/{tenant}/tenant.yaml", (
        "apiVersion: platform.infraforge.io/v1\nkind: Tenant\nmetadata:\n"
        f"  name: {tenant}\nspec:\n  owner: {{group: long-team}}\n  costCenter: CC-1111\n"
        "  environments: [staging]\n  database: {enabled: true}\n"))
    result = run_cli("-C", str(project), "render")
    assert result.code == 1
    assert "INVALID-NAME: the backup IAM role" in result.err
    assert "(in staging)" in result.err


def test_a_misspelt_scaling_mode_gets_a_suggestion(project: Path, run_cli) -> None:
    text = edit(project, WORKER, "    mode: queue", "    mode: queues")
    line = text.splitlines().index("    mode: queues") + 1
    result = run_cli("-C", str(project), "render")
    assert result.code == 1
    assert f"{WORKER}:{line}:11: INVALID-VALUE" in result.err
    assert "did you mean 'queue'?" in result.err


def test_the_example_is_the_good_fixture_of_every_rule(project: Path, run_cli) -> None:
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err
