"""The details of the PR comment: environment → app, each a collapsible block, fitted to a budget.

Each app is written with its per-object diffs when that fits in what is left of the budget,
else as a list of its changed objects, else it is left out and counted; nothing is cut midway.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Mapping

from infraforge.diff.documents import Location
from infraforge.diff.match import ObjectChange
from infraforge.diff.preview import Application
from infraforge.diff.report import SIGN, DiffReport
from infraforge.diff.summary import MARK, describe_object

MAX_OBJECT_LINES = 150  # per object; the full diff keeps everything
MAX_LISTED = 200        # objects listed per app in the list-only form
HEADER = "#### Changes\n\n"
_BACKTICKS = re.compile(r"`+")


def changes_section(report: DiffReport, room: int) -> tuple[str, int]:
    """(markdown, number of apps left out) using at most `room` characters."""
    apps = report.preview.by_directory()
    by_env: dict[str, list[tuple[Location, list[ObjectChange]]]] = defaultdict(list)
    for location, changes in report.by_location().items():
        by_env[location.environment].append((location, changes))
    out, used, omitted = [HEADER], len(HEADER), 0
    for env, locations in sorted(by_env.items(), key=lambda item: (item[0] == "", item[0])):
        block, size, left_out = _environment(env, locations, apps, room - used)
        omitted += left_out
        if block:
            out.append(block)
            used += size
    return ("".join(out) if len(out) > 1 else ""), omitted


def _environment(env: str, locations: list[tuple[Location, list[ObjectChange]]],
                 apps: Mapping[str, Application], room: int) -> tuple[str, int, int]:
    count = sum(len(changes) for _, changes in locations)
    title = f"<b>{html.escape(env)}</b>" if env else "<b>shared</b> (no environment)"
    opening = (f"<details><summary>{title} · {len(locations)} app(s), {count} object(s)"
               "</summary>\n\n")
    closing = "</details>\n\n"
    parts, used, omitted = [opening], len(opening) + len(closing), 0
    for location, changes in locations:
        for variant in (_app_block(location, changes, apps, True),
                        _app_block(location, changes, apps, False)):
            if used + len(variant) <= room:
                parts.append(variant)
                used += len(variant)
                break
        else:
            omitted += 1
    if len(parts) == 1:
        return "", 0, omitted
    return "".join([*parts, closing]), used, omitted


def _app_block(location: Location, changes: list[ObjectChange],
               apps: Mapping[str, Application], with_diffs: bool) -> str:
    app = apps.get(location.directory)
    signs = {sign: sum(SIGN.get(c.action, "~") == sign for c in changes) for sign in "+~-"}
    title = f"<code>{html.escape(location.directory)}</code>"
    if app is not None:
        title += f" · Application <b>{html.escape(app.name)}</b>"
    title += f" · +{signs['+']} ~{signs['~']} -{signs['-']}"
    body = _diff_body(changes) if with_diffs else _listing(changes)
    return f"<details><summary>{title}</summary>\n\n{body}\n</details>\n\n"


def _diff_body(changes: list[ObjectChange]) -> str:
    lines: list[str] = []
    for change in changes:
        lines.append(f"@@ {MARK[change.action]} {describe_object(change)} @@")
        diff = change.diff.splitlines()
        lines += diff[:MAX_OBJECT_LINES]
        if len(diff) > MAX_OBJECT_LINES:
            lines.append(f"@@ … {len(diff) - MAX_OBJECT_LINES} more line(s) in the full diff @@")
    text = "\n".join(lines)
    fence = fence_for(text)
    return f"{fence}diff\n{text}\n{fence}\n"


def _listing(changes: list[ObjectChange]) -> str:
    lines = [f"- {MARK[c.action]} `{describe_object(c)}`" for c in changes[:MAX_LISTED]]
    if len(changes) > MAX_LISTED:
        lines.append(f"- … and {len(changes) - MAX_LISTED} more")
    return "\n".join(lines) + "\n\n_(per-object diffs left out to fit; see the full diff)_\n"


def fence_for(text: str) -> str:
    """A code fence longer than any run of backticks inside `text`."""
    return "`" * max(3, max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
