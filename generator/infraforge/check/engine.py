"""Validate a rendered tree: scan → schema engine started → our checks → policies → findings.

kubeconform starts on the files without a recorded verdict (on a large tree, on one sample of
each class of their documents: schema_run.py) and works while we run our own checks. Files with
a verdict are not read again unless a policy component they belong to has to be re-checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infraforge.check.backstage import check_entities, is_entity
from infraforge.check.cache import ValidationIndex, Verdict, context_digest
from infraforge.check.documents import ParsedFile, read_file
from infraforge.check.kubeconform import tool_identity
from infraforge.check.metadata import check_objects
from infraforge.check.policy_hook import policy_context, policy_diagnostics
from infraforge.check.result import PolicyNote, ValidationResult, build_result
from infraforge.check.schema_compare import disagreements
from infraforge.check.schema_report import finding_diagnostics
from infraforge.check.schema_run import KubeconformSide
from infraforge.check.schema_store import SchemaStore
from infraforge.check.tree import TreeFile, TreeRoot, scan_tree
from infraforge.errors import Diagnostic

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

    def cache_context(self) -> str:
        import jsonschema_rs

        from infraforge.incremental.fingerprint import generator_fingerprint

        tool = tool_identity(self.kubeconform) if self.kubeconform else "-"
        return context_digest(generator_fingerprint(), self.engine, self.store.k8s_version,
                              self.store.fingerprint, tool,
                              getattr(jsonschema_rs, "__version__", "?"),
                              ",".join(sorted(self.allow_missing)))


class Reader:
    """Each file parsed at most once, when first needed."""

    def __init__(self) -> None:
        self.parsed: dict[str, ParsedFile] = {}

    def __call__(self, file: TreeFile) -> ParsedFile:
        found = self.parsed.get(file.display)
        if found is None:
            found = self.parsed[file.display] = read_file(file)
        return found


def validate_tree(roots: tuple[TreeRoot, ...], options: ValidateOptions) -> ValidationResult:
    files = scan_tree(roots)
    index = ValidationIndex(options.cache_dir, options.cache_context(),
                            policy_context(options.policy_settings))
    kept = {f.display: v for f in files if (v := index.verdict(f)) is not None}
    fresh = [f for f in files if f.display not in kept]
    read = Reader()
    schemas = SchemaCheck(fresh, options, read)  # kubeconform works while we do the rest
    own = {f.display: own_checks(read(f), options.store) for f in fresh}
    schemas.start_missed(read)
    policies_ran, policy_found = policy_diagnostics(roots, files, read, options.policy_settings,
                                                    index, options.whole_tree)
    found = schemas.diagnostics([read(f) for f in fresh], options)
    checked = {f.display: Verdict(len(read(f).objects), [*own[f.display], *found[f.display]])
               for f in fresh}
    remember(index, files, checked, roots)
    verdicts = kept | checked
    return build_result(
        [*(d for v in verdicts.values() for d in v.diagnostics), *policy_found],
        {display: v.documents for display, v in verdicts.items()}, set(kept),
        engine=options.engine, kubernetes_version=options.store.k8s_version,
        policy_notes=notes(options), policies_ran=policies_ran, schema_note=schemas.note)


def remember(index: ValidationIndex, files: list[TreeFile], checked: dict[str, Verdict],
             roots: tuple[TreeRoot, ...]) -> None:
    for file in files:
        if file.display in checked:
            index.record(file, checked[file.display])
        else:
            index.keep(file)
    index.save({root.label for root in roots})


def own_checks(parsed: ParsedFile, store: SchemaStore) -> list[Diagnostic]:
    """The reader's problems, our metadata rules and the Backstage checks of one file."""
    return [*parsed.diagnostics, *check_objects(parsed, store),
            *check_entities(parsed, store.root / "backstage")]


class SchemaCheck:
    """The schema engines' side: kubeconform (schema_run.py) and the fast path."""

    def __init__(self, fresh: list[TreeFile], options: ValidateOptions, read: Reader):
        self.kubeconform = KubeconformSide(fresh, options, read) \
            if options.engine in (KUBECONFORM, BOTH) else None
        self.note = ""

    def start_missed(self, read: Reader) -> None:
        if self.kubeconform is not None:
            self.kubeconform.start_missed(read)

    def diagnostics(self, fresh: list[ParsedFile],
                    options: ValidateOptions) -> dict[str, list[Diagnostic]]:
        fast = _fast_findings(fresh, options) if options.engine in (FAST, BOTH) else {}
        slow: dict[str, list] = {}
        if self.kubeconform is not None:
            found, self.note = self.kubeconform.findings()
            slow = _group(found)
        primary = fast if options.engine == FAST else slow
        found_by_file: dict[str, list[Diagnostic]] = {}
        for item in fresh:
            display = item.file.display
            found_by_file[display] = [d for _, d in finding_diagnostics(
                primary.get(display, []), item, options.allow_missing)]
            if options.engine == BOTH:
                found_by_file[display] += disagreements(
                    item, slow.get(display, []), fast.get(display, []), options.allow_missing)
        return found_by_file


def _fast_findings(fresh: list[ParsedFile], options: ValidateOptions) -> dict[str, list]:
    from infraforge.check.fastpath import FastEngine

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

