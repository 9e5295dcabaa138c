"""Validate a rendered tree: read → per-file checks (cached) → schema engine → policies.

Files whose cached verdict still applies are not checked again; kubeconform starts on the rest
as soon as they are read, and our own checks run while it works.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infraforge import __version__
from infraforge.check.backstage import check_entities, is_entity
from infraforge.check.cache import ValidationCache
from infraforge.check.documents import ParsedFile, read_file
from infraforge.check.fastpath import FastEngine
from infraforge.check.kubeconform import start_kubeconform, tool_identity
from infraforge.check.metadata import check_objects
from infraforge.check.policy_hook import policy_diagnostics
from infraforge.check.result import PolicyNote, ValidationResult, build_result
from infraforge.check.schema_compare import disagreements
from infraforge.check.schema_report import finding_diagnostics
from infraforge.check.schema_store import SchemaStore
from infraforge.check.tree import TreeFile, TreeRoot, scan_tree
from infraforge.errors import Diagnostic
from infraforge.incremental.store import CacheStore

KUBECONFORM, FAST, BOTH = "kubeconform", "fast", "both"


@dataclass(frozen=True)
class ValidateOptions:
    store: SchemaStore
    engine: str = KUBECONFORM
    kubeconform: Path | None = None
    allow_missing: frozenset[str] = frozenset()
    cache_dir: Path | None = None
    policy_settings: Mapping[str, Any] = field(default_factory=dict)
    # False for `--tree DIR`, which may be part of a tree: a scoped policy exception naming an
    # object outside it is then no evidence that the exception is stale
    whole_tree: bool = True

    def cache_context(self) -> list[str]:
        import jsonschema_rs

        tool = tool_identity(self.kubeconform) if self.kubeconform else "-"
        return [__version__, self.engine, self.store.k8s_version, self.store.fingerprint, tool,
                getattr(jsonschema_rs, "__version__", "?"), ",".join(sorted(self.allow_missing))]


def validate_tree(roots: tuple[TreeRoot, ...], options: ValidateOptions) -> ValidationResult:
    files = scan_tree(roots)
    cache = ValidationCache(options.cache_dir, options.cache_context())
    cached = {f.display: cache.load(f) for f in files}
    parsed = read_files(files, options.cache_dir)
    fresh = [parsed[f.display] for f in files if cached[f.display] is None]
    checked = check_files(fresh, options)
    for item in fresh:
        cache.store(item.file, checked[item.file.display])
    per_file = [d for f in files for d in (checked[f.display] if cached[f.display] is None
                                           else cached[f.display])]
    policies_ran, policy_found = policy_diagnostics(roots, list(parsed.values()),
                                                    options.policy_settings, options.whole_tree)
    return build_result(
        [*per_file, *policy_found], {f.display: len(parsed[f.display].objects) for f in files},
        {f.display for f in files if cached[f.display] is not None}, engine=options.engine,
        kubernetes_version=options.store.k8s_version, policy_notes=notes(options),
        policies_ran=policies_ran)


def read_files(files: list[TreeFile], cache_dir: Path | None) -> dict[str, ParsedFile]:
    """Every file's documents; a file read before (same path, same bytes) comes from the cache,
    since parsing 50,000 documents costs seconds and unpickling them a fraction of that."""
    bucket = CacheStore(cache_dir).bucket("documents", shards=16) if cache_dir else None
    parsed: dict[str, ParsedFile] = {}
    for file in files:
        key = (file.display, file.digest)
        hit = bucket.get(key) if bucket is not None else None
        if hit is not None:
            parsed[file.display] = ParsedFile(file, *hit)
            continue
        parsed[file.display] = read = read_file(file)
        if bucket is not None and not read.diagnostics:
            bucket.put(key, (read.objects, read.diagnostics, read.spans))
    if bucket is not None:
        bucket.save()
    return parsed


def check_files(fresh: list[ParsedFile], options: ValidateOptions) -> dict[str, list[Diagnostic]]:
    """Every per-file check for the files not served from the cache."""
    run = None
    if options.engine in (KUBECONFORM, BOTH):
        run = start_kubeconform(options.kubeconform, [p.file for p in fresh if _kubernetes(p)],
                                options.store)  # type: ignore[arg-type]
    found = {p.file.display: [*p.diagnostics, *check_objects(p, options.store),
                              *check_entities(p, options.store.root / "backstage")]
             for p in fresh}
    fast = _fast_findings(fresh, options) if options.engine in (FAST, BOTH) else {}
    slow = _group(run.findings()) if run else {}
    for item in fresh:
        display = item.file.display
        primary = slow if run else fast
        found[display] += [d for _, d in finding_diagnostics(
            primary.get(display, []), item, options.allow_missing)]
        if options.engine == BOTH:
            found[display] += disagreements(item, slow.get(display, []),
                                            fast.get(display, []), options.allow_missing)
    return found


def _kubernetes(parsed: ParsedFile) -> bool:
    return any(not is_entity(obj) for obj in parsed.objects)


def _fast_findings(fresh: list[ParsedFile], options: ValidateOptions) -> dict[str, list]:
    engine = FastEngine(options.store)
    return {p.file.display: [f for obj in p.objects if not is_entity(obj)
                             if (f := engine.check(obj, p.file.display))] for p in fresh}


def _group(findings: list) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for finding in findings:
        grouped.setdefault(finding.file, []).append(finding)
    return grouped


def notes(options: ValidateOptions) -> tuple[PolicyNote, ...]:
    return tuple(PolicyNote(rule, setting.action, setting.reason)
                 for rule, setting in sorted(options.policy_settings.items()))



