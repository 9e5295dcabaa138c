"""Per-file validation results, cached by content so a re-run only checks what changed.

The key is the file's SHA-256 (always recomputed from the bytes just read, never taken from a
previous run) combined with a digest of everything else that decides the verdict: the schema
store's content, the engine and its binary, the Kubernetes version, the options and this
version of InfraForge. Entries live in `.infraforge-cache/validate/` of the project; the
folder is safe to delete, and an unreadable entry is simply a miss. Cross-file policy checks
are never cached: they run over the whole tree every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from infraforge.check.tree import TreeFile
from infraforge.errors import Diagnostic, Position, Severity

CACHE_DIR = Path(".infraforge-cache/validate")
FORMAT = "1"


class ValidationCache:
    def __init__(self, folder: Path | None, context: list[str]):
        self.folder = folder
        self.context = hashlib.sha256("\0".join([FORMAT, *context]).encode()).hexdigest()

    def _entry(self, file: TreeFile) -> Path | None:
        if self.folder is None:
            return None
        key = hashlib.sha256(f"{self.context}:{file.digest}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def load(self, file: TreeFile) -> list[Diagnostic] | None:
        entry = self._entry(file)
        try:
            stored = json.loads(entry.read_bytes()) if entry else None
            return [_diagnostic(item, file.display) for item in stored["diagnostics"]] \
                if stored and stored.get("digest") == file.digest else None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, file: TreeFile, diagnostics: list[Diagnostic]) -> None:
        entry = self._entry(file)
        if entry is None:
            return
        payload = {"digest": file.digest, "diagnostics": [_record(d) for d in diagnostics]}
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            with os.fdopen(handle, "w") as out:
                json.dump(payload, out, sort_keys=True)
            os.replace(temp, entry)  # atomic: a reader sees the old entry or the new one
        except OSError:
            pass  # a read-only checkout still validates, it just does not remember


def _record(d: Diagnostic) -> dict:
    return {"rule": d.rule, "message": d.message, "line": d.position.line, "col": d.position.col,
            "hint": d.hint, "severity": d.severity.value,
            "related": [[p.file, p.line, p.col] for p in d.related]}


def _diagnostic(item: dict, display: str) -> Diagnostic:
    return Diagnostic(item["rule"], item["message"], Position(display, item["line"], item["col"]),
                      item["hint"], Severity(item["severity"]),
                      tuple(Position(*p) for p in item["related"]))
