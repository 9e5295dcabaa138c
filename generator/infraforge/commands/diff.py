"""`infraforge diff`: what a change does to the rendered tree, compared object by object.

One call per stage: load both sides (git worktree of the base, compile in memory) → build the
report (match, preview, blast radius, budget, cost) → print and write the formats.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from infraforge.report.terminal import Console

EPILOG = """\
exit codes (like diff(1) and `git diff --exit-code`):
  0  no change to the rendered objects or Applications
  1  changes (the report says which)
  2  error: a side does not compile, a ref is unknown, an ApplicationSet cannot be
     previewed exactly, or the deletion budget is exceeded without --allow-delete
  3  internal error (a bug in InfraForge)

Both sides are rendered by head's generator unless --base-generator is given: the diff then
isolates the catalog change, and a changed generator/ is reported as a note and blast radius.
See docs/pull-requests.md.
"""


FORMATS = ("text", "json", "markdown")
WRITE_FORMATS = (*FORMATS, "step-summary")  # step-summary: markdown sized for a job summary


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diff", help="semantic diff of the rendered tree between two commits",
        description="Render the catalog at --base and at head, and compare the two trees "
        "semantically: objects by apiVersion/kind/namespace/name, the Applications ArgoCD will "
        "create/change/delete, blast radius, deletion budget and cost.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="HEAD", metavar="REF",
                        help="git ref of the base side (default: HEAD)")
    parser.add_argument("--head", metavar="REF",
                        help="git ref of the head side (default: the working tree as it is)")
    parser.add_argument("--base-generator", action="store_true",
                        help="render the base with its own generator/ when it differs, so "
                        "template and generator changes show up in the diff")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="what to print on stdout (default: text)")
    parser.add_argument("--write", action="append", default=[], type=parse_write,
                        metavar="FORMAT=PATH", help="also write FORMAT (text, json, markdown, "
                        "step-summary) to PATH; repeatable")
    parser.add_argument("--max-length", type=int, default=60_000, metavar="N",
                        help="character budget of the markdown format (default: 60000)")
    parser.add_argument("--details-url", metavar="URL",
                        help="where the full diff is (linked from the markdown when cut)")
    parser.add_argument("--allow-delete", action="store_true",
                        help="accept a change that exceeds the deletion budget")
    parser.set_defaults(run=run)


def parse_write(value: str) -> tuple[str, Path]:
    """`FORMAT=PATH` for --write."""
    fmt, sep, path = value.partition("=")
    if not sep or fmt not in WRITE_FORMATS or not path:
        raise argparse.ArgumentTypeError(
            f"expected FORMAT=PATH with FORMAT one of {', '.join(WRITE_FORMATS)}")
    return fmt, Path(path)


def run(args: argparse.Namespace, console: Console) -> int:
    from infraforge.diff.preview import PreviewError
    from infraforge.diff.report import EXIT_ERROR, build_report
    from infraforge.diff.sides import SideCatalogError, load_sides
    from infraforge.diff.sources import SourceError

    try:
        sides = load_sides(Path(args.project), args.base, args.head, args.base_generator)
        report = build_report(sides, args.allow_delete)
    except SideCatalogError as exc:
        console.error(str(exc))
        console.diagnostics(exc.diagnostics)
        emit_failure(args, console, str(exc), [d.format() for d in exc.diagnostics])
        return EXIT_ERROR
    except (SourceError, PreviewError) as exc:
        console.error(str(exc))
        emit_failure(args, console, str(exc), [])
        return EXIT_ERROR
    emit(args, console, report)
    if report.budget.blocking:
        console.error(report.budget.message())
    return report.exit_code


def emit(args: argparse.Namespace, console: Console, report) -> None:
    from infraforge.diff.outputs import render
    from infraforge.report.terminal import color_enabled

    options = {"max_length": args.max_length, "details_url": args.details_url}
    color = color_enabled(args.color, console.out)
    console.out.write(render(report, args.format, color=color, **options))
    for fmt, path in args.write:
        path.write_text(render(report, fmt, **options), encoding="utf-8")


def emit_failure(args: argparse.Namespace, console: Console, title: str,
                 lines: list[str]) -> None:
    from infraforge.diff.outputs import render_failure

    if args.format != "text":
        console.out.write(render_failure(args.format, title, lines))
    for fmt, path in args.write:
        path.write_text(render_failure(fmt, title, lines), encoding="utf-8")
