"""`infraforge schemas`: the schema store the validator reads.

`sync --dest DIR --from URL` fetches the pinned set (check/schema_lock.json) from a mirror and
verifies every file's SHA-256; `lock` regenerates that pin list from an offline store; `path`
prints the store `validate` would use.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from infraforge.report.terminal import Console

MIRROR_ENV = "INFRAFORGE_SCHEMA_MIRROR"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("schemas", help="fetch, pin or locate the JSON schema store")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sync = actions.add_parser("sync", help="fetch the pinned schema set and verify its hashes")
    sync.add_argument("--dest", required=True, metavar="DIR", help="where the store goes")
    sync.add_argument("--from", dest="base", metavar="URL",
                      help=f"mirror base URL holding the store's layout (default: ${MIRROR_ENV})")
    lock = actions.add_parser("lock", help="regenerate the pin list from an offline store")
    lock.add_argument("--schema-store", metavar="DIR")
    path = actions.add_parser("path", help="print the schema store validate would use")
    path.add_argument("--schema-store", metavar="DIR")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from infraforge.check.schema_store import StoreError, find_store

    try:
        if args.action == "sync":
            return sync(args, console)
        store = find_store(args.schema_store, Path(args.project))
    except StoreError as exc:
        console.error(str(exc))
        return 2
    if args.action == "path":
        console.print(str(store))
        return 0
    from infraforge.check.schema_lock import LOCK_FILE, build_lock, write_lock

    lock = build_lock(store)
    write_lock(lock)
    console.info(f"{LOCK_FILE.name}: {len(lock['files'])} files pinned from {store}")
    return 0


def sync(args: argparse.Namespace, console: Console) -> int:
    from infraforge.check.schema_lock import read_lock
    from infraforge.check.schema_sync import sync_schemas

    base = args.base or os.environ.get(MIRROR_ENV)
    if not base:
        console.error(f"no mirror: pass --from URL or set {MIRROR_ENV}")
        return 2
    report = sync_schemas(base, Path(args.dest), read_lock())
    for problem in report.problems:
        console.error(problem)
    if report.problems:
        console.info(f"{len(report.problems)} file(s) failed verification; {args.dest} unchanged")
        return 1
    console.info(f"{args.dest}: {len(report.fetched)} fetched, {len(report.kept)} already "
                  "up to date, all hashes verified")
    return 0
