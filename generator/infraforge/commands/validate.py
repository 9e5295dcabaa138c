"""`infraforge validate`: check every rendered object against the real schemas, our own
metadata rules and the policy checks, then report in one of several formats.

By default the catalog is compiled in memory and written to a temporary directory (kubeconform
reads files); `--no-render` validates rendered/ and appsets/ as they are on disk, `--tree DIR`
any directory. Exit 0 valid, 1 invalid, 2 for a missing tool or schema store.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from infraforge.incremental.collector import paused_collector
from infraforge.report.formats import FORMATS
from infraforge.report.terminal import Console

if TYPE_CHECKING:
    from infraforge.check.result import ValidationResult

ENGINES = ("kubeconform", "fast", "both")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("validate", help="validate the rendered tree (schemas, "
                                   "metadata, Backstage, policies)")
    add = parser.add_argument
    add("--tree", metavar="DIR", help="validate this directory as it is (implies --no-render)")
    add("--no-render", action="store_true", help="validate rendered/ and appsets/ on disk")
    add("--schema-store", metavar="DIR", help="schema store (default: $INFRAFORGE_SCHEMA_STORE, "
        "else ../shared/schemas beside the project)")
    add("--schema-location", action="append", default=[], metavar="TEMPLATE",
        help="extra kubeconform -schema-location template, tried after the store (local only)")
    add("--kubernetes-version", metavar="X.Y.Z", help="default: the Platform's kubernetesVersion")
    add("--engine", choices=ENGINES, default="kubeconform", help="kubeconform (of record), "
        "fast (in-process jsonschema-rs) or both (kubeconform, plus a warning where they differ)")
    add("--kubeconform", metavar="PATH", help="kubeconform binary (default: "
        "$INFRAFORGE_KUBECONFORM, .tools/bin/kubeconform, then PATH)")
    add("--allow-missing-schema", action="append", default=[], metavar="KIND",
        help="accept objects of KIND (or apiVersion/KIND) that have no schema, unchecked")
    add("--format", choices=FORMATS, default="auto", help="report format (auto: github under "
        "GitHub Actions, else text)")
    add("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    add("--no-cache", action="store_true", help="check every file, remember nothing")
    add("--list-rules", action="store_true", help="print every rule id with its doc and exit")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from infraforge.check.engine import validate_tree
    from infraforge.check.kubeconform import KubeconformError
    from infraforge.check.schema_store import StoreError
    from infraforge.commands.validate_setup import SetupError, build_options

    if args.list_rules:
        return list_rules(console)
    project = Path(args.project)
    try:
        with paused_collector(), staged_roots(args, project) as (roots, platform):
            options = build_options(args, project, platform)
            result = validate_tree(roots, options)
            if args.verbose and result.schema_note:
                console.info(result.schema_note)
    except (StoreError, SetupError) as exc:
        console.error(str(exc))
        return 2
    except KubeconformError as exc:
        console.error(f"kubeconform failed: {exc}")
        return 3
    write_report(result, args.format, args.output, console)
    return 0 if result.valid else 1


def list_rules(console: Console) -> int:
    from infraforge.check.rules import all_rule_docs

    for rule, (severity, doc) in all_rule_docs().items():
        console.print(f"{rule:<28} {severity:<8} {doc}")
    return 0


@contextmanager
def staged_roots(args: argparse.Namespace, project: Path) -> Iterator[tuple]:
    """The directories to validate and the Platform spec (None without a catalog)."""
    from infraforge.check.platform_settings import load_platform_spec
    from infraforge.check.tree import TreeRoot

    if args.tree:
        yield (TreeRoot(args.tree.rstrip("/") or "/", Path(args.tree)),), \
            load_platform_spec(project)
    elif args.no_render:
        yield tuple(TreeRoot(name, project / name) for name in ("rendered", "appsets")
                    if (project / name).is_dir()), load_platform_spec(project)
    else:
        with rendered_in_memory(project, args.verbose) as staged:
            yield staged


@contextmanager
def rendered_in_memory(project: Path, verbose: int) -> Iterator[tuple]:
    from infraforge.check.tree import TreeRoot
    from infraforge.pipeline import compile_catalog

    compiled = compile_catalog(project, verbose=verbose)
    with tempfile.TemporaryDirectory(prefix="infraforge-validate-") as temp:
        for folder, files in (("rendered", compiled.tree.files),
                              ("appsets", compiled.tree.entrypoints)):
            for rel, data in files.items():
                target = Path(temp, folder, rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        yield ((TreeRoot("rendered", Path(temp, "rendered")),
                TreeRoot("appsets", Path(temp, "appsets"))), compiled.catalog.platform.model.spec)


def write_report(result: ValidationResult, format_name: str, output: str | None,
                 console: Console) -> None:
    from infraforge.report.formats import renderer

    text = renderer(format_name)(result)
    if output is None:
        console.out.write(text)
        return
    target = Path(output)
    temp = target.with_name(f".{target.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, target)
    console.info(result.summary())
