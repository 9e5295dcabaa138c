"""What one validate run leaves for the next: a single index file of verdicts by path.

For each file (by the path users see) it keeps the digest of the bytes it judged, the number
of documents and the per-file diagnostics; for the policy side, the file's partition keys and
tree facts, and the findings of each policy component (files that share a partition). A
verdict holds while the file's digest and the run's context (tool, schemas, engine, generator
code) are the same; policy entries also need the same policy context (settings and rules).

One file per context, not one per checked file: writing 3,500 small entries cost seconds on
our disks, and the whole index of a 50,000-document tree is about a megabyte of JSON. It is
rewritten atomically, and only when something in it changed; entries for files outside the
roots this run validated are kept, and only the few most recent contexts' indexes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infraforge.check.tree import TreeFile
from infraforge.errors import Diagnostic, Position, Severity

CACHE_DIR = Path(".infraforge-cache/validate")
FORMAT = "2"
KEEP_CONTEXTS = 4  # e.g. both engines, and the last generator version, stay warm
_OLD_SHARD = re.compile(r"[0-9a-f]{2}")


def context_digest(*parts: str) -> str:
    return hashlib.sha256("\0".join([FORMAT, *parts]).encode()).hexdigest()


@dataclass(frozen=True)
class Verdict:
    documents: int
    diagnostics: list[Diagnostic]


class ValidationIndex:
    def __init__(self, folder: Path | None, context: str, policy_context: str):
        self.path = folder / f"index-{context[:24]}.json" if folder is not None else None
        self.context, self.policy_context = context, policy_context
        stored = _read(self.path)
        same = stored.get("context") == context
        files = stored.get("files") if same else None
        self._files: dict[str, Any] = {k: v for k, v in files.items() if isinstance(v, dict)} \
            if isinstance(files, dict) else {}
        same_policy = same and stored.get("policy") == policy_context
        self._facts = {k: v["facts"] for k, v in self._files.items() if "facts" in v} \
            if same_policy else {}
        self._components = _components(stored.get("components")) if same_policy else {}
        self._stored = stored
        self._next_files: dict[str, Any] = {}
        self._next_components: list[dict[str, Any]] = []

    def verdict(self, file: TreeFile) -> Verdict | None:
        entry = self._files.get(file.display)
        if not isinstance(entry, dict) or entry.get("digest") != file.digest:
            return None
        try:
            return Verdict(int(entry["documents"]),
                           [to_diagnostic(item) for item in entry["diagnostics"]])
        except (KeyError, TypeError, ValueError):
            return None

    def facts(self, file: TreeFile) -> dict[str, Any] | None:
        """The policy facts recorded for `file`, if its bytes are the ones they describe."""
        entry = self._files.get(file.display)
        return self._facts.get(file.display) \
            if isinstance(entry, dict) and entry.get("digest") == file.digest else None

    def component(self, members: dict[str, str], facts: str) -> list[Diagnostic] | None:
        """The policy diagnostics of a component whose files (display -> digest) and tree
        facts are those of a recorded one."""
        found = self._components.get(_component_key(members, facts))
        try:
            return [to_diagnostic(item) for item in found["diagnostics"]] if found else None
        except (KeyError, TypeError, ValueError):
            return None

    def record(self, file: TreeFile, verdict: Verdict) -> None:
        self._next(file).update(documents=verdict.documents,
                                diagnostics=[to_record(d) for d in verdict.diagnostics])

    def keep(self, file: TreeFile) -> None:
        """Carry `file`'s verdict over as it is stored (it holds: `verdict` said so)."""
        stored = self._files[file.display]
        self._next(file).update(documents=stored["documents"], diagnostics=stored["diagnostics"])

    def record_facts(self, file: TreeFile, facts: dict[str, Any]) -> None:
        self._next(file)["facts"] = facts

    def _next(self, file: TreeFile) -> dict[str, Any]:
        return self._next_files.setdefault(file.display, {"digest": file.digest})

    def record_component(self, members: dict[str, str], facts: str,
                         diagnostics: list[Diagnostic]) -> None:
        self._next_components.append({"files": members, "facts": facts,
                                      "diagnostics": [to_record(d) for d in diagnostics]})

    def save(self, labels: set[str]) -> None:
        """Write what this run recorded, keeping the entries of files outside the roots it
        validated (given by their labels)."""
        if self.path is None:
            return
        files = {path: entry for path, entry in self._files.items()
                 if not _under(path, labels)} | self._next_files
        components = [c for c in self._components.values()
                      if not any(_under(path, labels) for path in c["files"])]
        index = {"format": FORMAT, "context": self.context, "policy": self.policy_context,
                 "files": dict(sorted(files.items())),
                 "components": sorted([*components, *self._next_components],
                                      key=lambda c: sorted(c["files"]))}
        if index != self._stored:
            _write(self.path, index)
            _prune(self.path.parent)


def _under(path: str, labels: set[str]) -> bool:
    return any(label in ("", ".") or path.startswith(f"{label.rstrip('/')}/") for label in labels)


def _prune(folder: Path) -> None:
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


def _component_key(members: dict[str, str], facts: str) -> tuple:
    return tuple(sorted(members.items())), facts


def _components(stored: Any) -> dict[tuple, dict[str, Any]]:
    try:
        return {_component_key(c["files"], c["facts"]): c for c in stored or ()}
    except (AttributeError, KeyError, TypeError):
        return {}  # damaged: every component is checked again


def _read(path: Path | None) -> dict[str, Any]:
    try:
        stored = json.loads(path.read_bytes()) if path is not None else {}
    except (OSError, ValueError):
        return {}  # a damaged index is no verdict: everything is checked again
    return stored if isinstance(stored, dict) and stored.get("format") == FORMAT else {}


def _write(path: Path, index: dict[str, Any]) -> None:
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
