"""`infraforge fmt`: lay out catalog and overlay YAML canonically, keeping every comment.

The `terraform fmt` habit: without options, rewrite the files that are not canonical and list
them; with `--check`, write nothing, list them and exit 1. A file that cannot be read safely
is an error and nothing at all is written; a file fmt cannot lay out without losing a comment
is left alone with a warning.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from infraforge.report.terminal import Console


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("fmt", help="format catalog/ and overlays/ YAML canonically")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; list unformatted files and exit 1 if there are any")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or folders, relative to the project "
                             "(default: catalog overlays)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from infraforge.errors import CatalogError, Severity
    from infraforge.fmt.files import collect, write_atomically
    from infraforge.fmt.formatter import format_source

    project = Path(args.project)
    sources, problems = collect(project, args.paths)
    results = [format_source(source.raw, source.display) for source in sources]
    problems += [d for result in results for d in result.diagnostics]
    if any(d.severity is Severity.ERROR for d in problems):
        raise CatalogError(problems)
    console.diagnostics(sorted(problems, key=lambda d: d.sort_key()))  # files left alone
    changed = [result for result in results if result.changed]
    for result in changed:
        if not args.check:
            write_atomically(project / result.file, result.text)
        console.print(result.file)
    return report(len(changed), len(results), args.check, console)


def report(changed: int, total: int, check: bool, console: Console) -> int:
    if check and changed:
        console.info(f"{changed} of {total} file(s) not formatted; run `infraforge fmt`")
        return 1
    if changed:
        console.info(f"reformatted {changed} of {total} file(s)")
    else:
        console.info(f"all {total} file(s) already formatted")
    return 0
