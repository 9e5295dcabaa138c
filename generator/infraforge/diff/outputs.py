"""Choose and write the output formats of `infraforge diff`."""

from __future__ import annotations

import json

from infraforge.diff.format_json import FORMAT, VERSION, format_json
from infraforge.diff.format_markdown import MAX_LENGTH, failure_markdown, format_markdown
from infraforge.diff.format_text import format_text
from infraforge.diff.report import DiffReport

# step-summary: Markdown for $GITHUB_STEP_SUMMARY, which takes up to 1 MiB per step
STEP_SUMMARY_LENGTH = 900_000


def render(report: DiffReport, fmt: str, *, color: bool = False, max_length: int = MAX_LENGTH,
           details_url: str | None = None) -> str:
    if fmt == "json":
        return format_json(report)
    if fmt == "markdown":
        return format_markdown(report, max_length, details_url)
    if fmt == "step-summary":
        return format_markdown(report, STEP_SUMMARY_LENGTH, details_url)
    return format_text(report, color)


def render_failure(fmt: str, title: str, lines: list[str]) -> str:
    if fmt == "json":
        return json.dumps({"format": FORMAT, "version": VERSION, "exitCode": 2,
                           "error": title, "details": lines}, indent=2) + "\n"
    if fmt in ("markdown", "step-summary"):
        return failure_markdown(title, lines)
    return "\n".join([f"error: {title}", *lines]) + "\n"
