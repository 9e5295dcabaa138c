"""The validation index on disk: read (a damaged one is empty), written atomically, pruned to
the few most recent contexts; diagnostics as JSON records."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from infraforge.errors import Diagnostic, Position, Severity

KEEP_CONTEXTS = 4  # e.g. both engines, and the last generator version, stay warm
_OLD_SHARD = re.compile(r"[0-9a-f]{2}")


def read_index(path: Path | None, version: str) -> dict[str, Any]:
    try:
        stored = json.loads(path.read_bytes()) if path is not None else {}
    except (OSError, ValueError):
        return {}  # a damaged index is no verdict: everything is checked again
    return stored if isinstance(stored, dict) and stored.get("format") == version else {}


def write_index(path: Path, index: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "w") as out:  # dumps, not dump: dump streams through the
            out.write(json.dumps(index, separators=(",", ":")))  # pure-Python encoder, 10x slower
        os.replace(temp, path)  # atomic: a reader sees the old index or the new one
    except OSError:
        pass  # a read-only checkout still validates, it just does not remember


def to_record(d: Diagnostic) -> dict[str, Any]:
    return {"file": d.position.file, "rule": d.rule, "message": d.message,
            "line": d.position.line, "col": d.position.col, "hint": d.hint,
            "severity": d.severity.value, "related": [[p.file, p.line, p.col] for p in d.related]}


def to_diagnostic(item: dict[str, Any]) -> Diagnostic:
    return Diagnostic(item["rule"], item["message"],
                      Position(item["file"], item["line"], item["col"]), item["hint"],
                      Severity(item["severity"]), tuple(Position(*p) for p in item["related"]))


def prune(folder: Path) -> None:
    """Keep the indexes of the few most recently used contexts; drop the older entries of the
    cache's earlier layout (one JSON file per checked file, in two-letter folders)."""
    try:
        indexes = sorted(folder.glob("index-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in indexes[KEEP_CONTEXTS:]:
            old.unlink()
        for old in folder.glob("documents*.pickle"):
            old.unlink()
        for old in folder.iterdir():
            if old.is_dir() and _OLD_SHARD.fullmatch(old.name):
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass
