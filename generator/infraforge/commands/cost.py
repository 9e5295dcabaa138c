"""`infraforge cost`: the monthly estimate per tenant and environment, from what is rendered.

One call per stage: compile the catalog → estimate the rendered tree at the Platform's price
table (`spec.prices`) → print. Nothing is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from infraforge.report.terminal import Console

EPILOG = """\
Counted: container requests x replicas (an HPA's minReplicas when the Deployment leaves replicas
to it), volumes claimed by PVCs and operator resources (CloudNativePG, RabbitMQ, Redis, MinIO)
x their instances, and a price per capability instance. Prices come from the Platform
document's spec.prices (per vCPU-month, GiB-memory-month, GiB-storage-month, per instance).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "cost", help="monthly cost estimate per tenant and environment", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from infraforge.cost import format as formats
    from infraforge.cost.estimate import estimate
    from infraforge.pipeline import compile_catalog

    result = compile_catalog(Path(args.project), verbose=args.verbose, console=console)
    prices = result.catalog.platform.model.spec.prices
    figures = estimate(result.tree.files, prices)
    render = {"text": formats.format_text, "json": formats.format_json,
              "markdown": formats.format_markdown}[args.format]
    console.print(render(figures).rstrip("\n"))
    if not prices.model_fields_set:
        console.info("note: the Platform document has no spec.prices; every amount is 0")
    return 0
