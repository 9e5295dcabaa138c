"""Which reporter renders a ValidationResult; `auto` picks GitHub annotations under Actions."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # every command's parser lists FORMATS: importing the result type costs 5 ms
    from infraforge.check.result import ValidationResult

FORMATS = ("text", "json", "junit", "sarif", "github", "auto")


def resolve_format(name: str, environ: Mapping[str, str] = os.environ) -> str:
    if name != "auto":
        return name
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def renderer(name: str) -> Callable[[ValidationResult], str]:
    from infraforge.report.github import render_github
    from infraforge.report.json_report import render_json
    from infraforge.report.junit import render_junit
    from infraforge.report.sarif import render_sarif
    from infraforge.report.text_report import render_text

    return {"text": render_text, "json": render_json, "junit": render_junit,
            "sarif": render_sarif, "github": render_github}[resolve_format(name)]
