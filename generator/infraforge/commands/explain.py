"""`infraforge explain <tenant>/<env> [<service>] <dotted.path>`: a value and who set it.

Prints the resolved value, then every layer that set it in merge order, with file:line, so
"why is replicas 4 in prod?" has a one-command answer.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from infraforge.report.terminal import Console


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "explain", help="show a resolved value and the files and lines that set it",
        description="Example: infraforge explain payments/prod api replicas")
    parser.add_argument("unit", metavar="TENANT/ENV")
    parser.add_argument("targets", nargs="+", metavar="[SERVICE] PATH",
                        help="an optional service name, then a dotted path (e.g. quota.limits.cpu)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from infraforge.commands.explain_query import Query, answer

    query = Query.parse(args.unit, args.targets)
    explanation = answer(Path(args.project), query)
    if args.format == "json":
        console.print(json.dumps(explanation.as_json(), indent=2, sort_keys=True))
    else:
        for line in explanation.lines():
            console.print(line)
    return 0


def show(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(", ", ": "))
    return json.dumps(value)
