"""The platform's rules judged in a forked child while the documents are typed (RulesAhead)
must report exactly what judging them in process reports."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import write
from infraforge.validate import rules_ahead

TENANT = "catalog/tenants/search/tenant.yaml"
SERVICE = "catalog/tenants/search/services/query.yaml"


def _bad_documents(project: Path) -> None:
    tenant = project / TENANT
    tenant.write_text(tenant.read_text().replace("CC-", "XX-"))  # COST-CENTRE
    service = project / SERVICE
    text = service.read_text()
    service.write_text(text.replace("Answers search queries from the storefront.", "Answers."))
    # fails typing and breaks a rule: only its typing problem may be reported
    write(project / "catalog/tenants/search/services/odd.yaml", text.replace(
        "name: query", "name: odd").replace(
        "Answers search queries from the storefront.", "Odd.") + "  replicaz: 3\n")


def _invalid_schema(project: Path) -> None:
    platform = project / "catalog/platform.yaml"
    platform.write_text(platform.read_text().replace("  rules:\n", (
        "  rules:\n    - id: TIER-KNOWN\n      appliesTo: Tenant\n      description: tiers\n"
        "      hint: none\n      schema:\n        tier:\n          type: no-such-type\n"), 1))
    _bad_documents(project)


def _rule_added_after_a_clean_render(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    platform = project / "catalog/platform.yaml"
    platform.write_text(platform.read_text().replace("  rules:\n", (
        "  rules:\n    - id: TEAM-OWNED\n      appliesTo: Tenant\n"
        "      description: owners are teams\n      hint: name a -squad group\n"
        "      schema:\n        owner:\n          type: dict\n          schema:\n"
        "            group: {type: string, regex: '.*-squad'}\n"), 1))


def _render(run_cli, project: Path, monkeypatch, ahead: bool) -> tuple[int, str]:
    started: list[object] = []
    real = rules_ahead.RulesAhead.start.__func__  # type: ignore[attr-defined]

    def start(cls, *args: object) -> object:
        started.append(found := real(cls, *args))
        return found

    monkeypatch.setattr(rules_ahead, "MIN_DOCUMENTS_AHEAD", 0 if ahead else 10**9)
    monkeypatch.setattr(rules_ahead.RulesAhead, "start", classmethod(start))
    result = run_cli("-C", str(project), "render")
    assert any(started) == ahead  # the child judged them, or nothing did ahead
    return result.code, result.err.replace(str(project), "PROJECT")


@pytest.mark.parametrize("change", [_bad_documents, _invalid_schema,
                                    _rule_added_after_a_clean_render])
def test_rules_judged_ahead_report_what_rules_judged_here_report(
        project: Path, tmp_path: Path, run_cli, monkeypatch,
        change: Callable[..., None]) -> None:
    here = tmp_path / "here"
    shutil.copytree(project, here)
    for where in (project, here):
        change(where, run_cli) if change is _rule_added_after_a_clean_render else change(where)
    ahead_result = _render(run_cli, project, monkeypatch, ahead=True)
    here_result = _render(run_cli, here, monkeypatch, ahead=False)
    assert ahead_result == (here_result[0], here_result[1].replace("/here", ""))
    assert ahead_result[0] == 1 and "hint:" in ahead_result[1]


def test_a_failing_child_leaves_the_rules_to_this_process(project: Path, run_cli,
                                                          monkeypatch) -> None:
    def broken(*_: object) -> None:
        raise MemoryError("the child ran out")

    monkeypatch.setattr(rules_ahead, "_judge_all", broken)  # the forked child inherits it
    _bad_documents(project)
    code, err = _render(run_cli, project, monkeypatch, ahead=True)
    assert code == 1 and "COST-CENTRE" in err and "SERVICE-DESCRIBED" in err
