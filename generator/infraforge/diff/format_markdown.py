"""The PR comment: a plan-style summary first, then collapsible details, under a size budget.

GitHub refuses comment bodies over 65,536 characters, so the comment is built to `max_length`
(60,000 by default) and degrades gracefully: applications whose full diff no longer fits are
listed with their changed objects only, then left out with a count, and every long table is
cut with "… and N more". The footer points at the full diff (job summary and artifact).
The first line is a hidden marker that CI uses to find and update its one sticky comment.
"""

from __future__ import annotations

import html

from infraforge.diff.markdown_changes import changes_section, fence_for
from infraforge.diff.preview import DELETE
from infraforge.diff.report import DiffReport
from infraforge.diff.summary import MARK, amount, kind_counts, plan_line, unit_list

MARKER = "<!-- infraforge-diff -->"
MAX_LENGTH = 60_000
TABLE_ROWS = 100  # then "… and N more"; the summary must leave room for the details
OMISSION_RESERVE = 300  # room kept for the "N application(s) left out" note


def format_markdown(report: DiffReport, max_length: int = MAX_LENGTH,
                    details_url: str | None = None) -> str:
    footer = _footer(report, details_url)
    for rows in (TABLE_ROWS, 20, 5):
        summary = _summary(report, rows)
        room = max_length - len(summary) - len(footer) - OMISSION_RESERVE
        if room > 0:
            details, omitted = changes_section(report, room)
            text = summary + details + _omission(omitted, details_url) + footer
            if len(text) <= max_length:
                return text
    return _truncate(_summary(report, 5) + footer, max_length, details_url)


def failure_markdown(title: str, lines: list[str]) -> str:
    """The comment for a diff that could not be computed (a catalog error, a bad ref)."""
    body = "\n".join(lines)
    fence = fence_for(body)
    return (f"{MARKER}\n### InfraForge plan failed\n\n{html.escape(title)}\n\n"
            f"{fence}text\n{body}\n{fence}\n")


def _summary(report: DiffReport, rows: int) -> str:
    parts = [MARKER, f"### InfraForge plan · `{report.base}` → `{report.head}`", "",
             f"**{plan_line(report)}**", ""]
    if report.budget.breached:
        kind = "CAUTION" if report.budget.blocking else "WARNING"
        parts += [f"> [!{kind}]", f"> {html.escape(report.budget.message())}", ""]
    counts = kind_counts(report)
    if counts:
        parts += ["| kind | + | ~ | - |", "|:--|--:|--:|--:|"]
        parts += [f"| {kind} | {a} | {c} | {r} |" for kind, a, c, r in _cut(counts, rows)]
        parts += [*_more(counts, rows, "| … | | | |"), ""]
    return "\n".join(parts + _applications(report, rows) + _blast(report, rows)
                     + _cost(report, rows)) + "\n"


def _applications(report: DiffReport, rows: int) -> list[str]:
    changes = report.preview.changes
    if not changes:
        return []
    lines = ["#### ArgoCD Applications", "", ("| | environment | Application | project | "
             "destination | path | note |"), "|:-:|:--|:--|:--|:--|:--|:--|"]
    for change in _cut(list(changes), rows):
        app = change.app
        note = ", ".join(f"`{f}`" for f in change.fields)
        if change.action == DELETE and app.kept_on_delete:
            note = f"kept by ArgoCD (`{app.policy}`): delete by hand"
        lines.append(f"| {MARK[change.action]} | {app.environment} | **{_cell(app.name)}** | "
                     f"{_cell(app.project)} | {_cell(app.server)} `{_cell(app.destination_namespace)}`"
                     f" | `{_cell(app.path)}` | {note} |")
    return [*lines, *_more(list(changes), rows, "| | … | | | | | |"), ""]


def _blast(report: DiffReport, rows: int) -> list[str]:
    blast = report.blast
    if not blast.applies:
        return []
    shared = ", ".join(f"`{path}`" for path in _cut(list(blast.shared_changes), rows))
    units = unit_list(blast.units)
    listed = ", ".join(f"`{u}`" for u in _cut(units, rows))
    more = f" … and {len(units) - rows} more" if len(units) > rows else ""
    return ["#### Blast radius", "", f"Shared inputs changed: {shared}. Output changes in "
            f"**{len(units)} of {blast.total_units}** tenant × environment units"
            + (f": {listed}{more}" if units else "") + ".", ""]


def _cost(report: DiffReport, rows: int) -> list[str]:
    cost = report.cost
    if not cost.units:
        return []
    lines = [f"#### Cost per month ({cost.currency}, at head's prices)", "",
             "| unit | before | after | change |", "|:--|--:|--:|--:|"]
    for env, tenant, before, after in _cut(list(cost.units), rows):
        lines.append(f"| {env}/{tenant or '(platform)'} | {amount(before, cost.currency)} | "
                     f"{amount(after, cost.currency)} | "
                     f"{amount(after - before, cost.currency, True)} |")
    return [*lines, *_more(list(cost.units), rows, "| … | | | |"), ""]


def _footer(report: DiffReport, details_url: str | None) -> str:
    notes = [f"> {html.escape(note)}" for note in report.notes]
    stats = [f"{len(report.other_files)} non-YAML file(s) differ"] if report.other_files else []
    if details_url:
        stats.append(f"[full diff]({details_url})")
    stats.append(f"reproduce: `infraforge diff --base {report.base.split(' ')[0]}`")
    spacer = [""] if notes else []
    return "\n".join(["", *notes, *spacer, "<sub>" + " · ".join(stats) + "</sub>", ""])


def _omission(omitted: int, details_url: str | None) -> str:
    if not omitted:
        return ""
    where = f"[the full diff]({details_url})" if details_url else "the full diff (job summary "
    where += "" if details_url else "and the `infraforge-diff` artifact)"
    return (f"\n> [!NOTE]\n> {omitted} application(s) left out to keep this comment under "
            f"GitHub's size limit; see {where}.\n")


def _truncate(text: str, max_length: int, details_url: str | None) -> str:
    tail = f"\n\n… cut to fit; see {details_url or 'the full diff artifact'}\n"
    return text if len(text) <= max_length else text[:max_length - len(tail)] + tail


def _cut(items: list, rows: int) -> list:
    return items[:rows]


def _more(items: list, rows: int, filler: str) -> list[str]:
    return [filler.replace("…", f"… and {len(items) - rows} more", 1)] if len(items) > rows else []


def _cell(text: str) -> str:
    return html.escape(text).replace("|", "\\|")
