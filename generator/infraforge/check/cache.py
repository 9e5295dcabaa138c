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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infraforge.check.index_file import prune, read_index, to_diagnostic, to_record, write_index
from infraforge.check.tree import TreeFile
from infraforge.errors import Diagnostic

CACHE_DIR = Path(".infraforge-cache/validate")
FORMAT = "2"


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
        stored = read_index(self.path, FORMAT)
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
            write_index(self.path, index)
            prune(self.path.parent)


def _under(path: str, labels: set[str]) -> bool:
    return any(label in ("", ".") or path.startswith(f"{label.rstrip('/')}/") for label in labels)


def _component_key(members: dict[str, str], facts: str) -> tuple:
    return tuple(sorted(members.items())), facts


def _components(stored: Any) -> dict[tuple, dict[str, Any]]:
    try:
        return {_component_key(c["files"], c["facts"]): c for c in stored or ()}
    except (AttributeError, KeyError, TypeError):
        return {}  # damaged: every component is checked again
