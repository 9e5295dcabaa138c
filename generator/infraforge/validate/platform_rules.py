"""The platform team's own rules, declared as cerberus schemas in the Platform document.

Each rule names the kind it applies to and a cerberus schema for that kind's `spec`; unknown
keys are allowed (the pydantic model already owns the shape), so a rule only adds constraints,
e.g. a cost-centre pattern. No Python is needed to add one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from infraforge.errors import Collector
from infraforge.incremental.fingerprint import digest
from infraforge.incremental.forked import ForkedCall
from infraforge.incremental.store import Bucket
from infraforge.load.yaml_source import YamlDocument
from infraforge.validate.structure import parse_document, strip_patch_markers

if TYPE_CHECKING:
    from cerberus import Validator

    from infraforge.validate.catalog import Entry


def check_platform_rules(by_kind: dict[str, list[Entry]], problems: Collector,
                         passed: Bucket | None = None, ahead: RulesAhead | None = None) -> None:
    """Apply the Platform document's rules to every typed document of the kinds they name.

    cerberus is slow (about half a millisecond a document), so a document that passed a rule
    before is remembered in `passed`, keyed by the rule and the document's bytes; a run whose
    documents all passed before does not even import cerberus (25 ms). `ahead` holds the
    verdicts a child reached meanwhile (RulesAhead).
    """
    platforms = by_kind.get("Platform", [])
    if len(platforms) != 1:
        return  # reported by the catalog assembly; without one Platform there are no rules
    platform = platforms[0]
    verdicts = ahead.verdicts() if ahead is not None else {}
    for index, rule in enumerate(platform.model.spec.rules):
        rule_key = digest(rule.model_dump_json())
        pending = _not_passed(rule_key, by_kind.get(rule.appliesTo, []), passed)
        if not pending and passed is not None and passed.get((rule_key, "schema")):
            continue  # every document passed before, and the schema compiled then
        judge = verdicts.get(index) or _judge(rule, platform, index, problems)
        if judge is None:
            continue
        if passed is not None:
            passed.put((rule_key, "schema"), True)
        for entry, key in pending:
            errors = judge(entry.doc)
            if not errors:
                if passed is not None:
                    passed.put(key, True)
            else:
                _report(rule, entry, errors, ("spec",), problems)


Judge = Callable[[YamlDocument], dict]  # a document → cerberus's errors ({} when it passes)


def _judge(rule: Any, platform: Entry, index: int, problems: Collector) -> Judge | None:
    """The rule's validator as a Judge; None (reported) when its schema is not valid."""
    validator = _compile(rule, platform, index, problems)
    return _judging(rule, validator) if validator is not None else None


def _judging(rule: Any, validator: Validator) -> Judge:
    normalize = _normalizes(rule.schema_)

    def judge(doc: YamlDocument) -> dict:
        spec = strip_patch_markers(doc.data.get("spec", {}))
        return {} if validator.validate(spec, normalize=normalize) else validator.errors

    return judge


class RulesAhead:
    """The rules applied in a forked child while this process types the documents: at 1,000
    tenants cerberus takes 0.12-0.14 s and typing 0.14 s, one after the other on one core.

    The child judges every document of a rule's kind that has not passed it before, typed or
    not (it starts before typing); the parent reports only for the documents that typed, as it
    would have. Without a child, or when it fails, the rules run in this process.
    """

    def __init__(self, call: ForkedCall):
        self.call = call

    @classmethod
    def start(cls, documents: Sequence[YamlDocument], passed: Bucket | None) -> RulesAhead | None:
        """None when there is little to judge, or no child could be forked."""
        platform = [doc for doc in documents if _kind(doc) == "Platform"]
        if len(platform) != 1:
            return None
        if platform[0].checked and sum(not doc.checked for doc in documents) < MIN_DOCUMENTS_AHEAD:
            return None  # same rules as in a clean compile, which the other documents passed
        typed = parse_document(platform[0])[0]
        rules = typed.spec.rules if typed is not None else []  # type: ignore[attr-defined]
        work = []
        for index, rule in enumerate(rules):
            rule_key = digest(rule.model_dump_json())
            work.append((index, [doc for doc in documents if _kind(doc) == rule.appliesTo
                                 and not _has_passed(rule_key, doc, passed)]))
        if sum(len(docs) for _, docs in work) < MIN_DOCUMENTS_AHEAD:
            return None
        call = ForkedCall(_judge_all, rules, work, inline=False)
        return cls(call) if call.forked else None

    def close(self) -> None:
        self.call.close()

    def verdicts(self) -> dict[int, Judge]:
        """Per rule index, a Judge answering from the child's verdicts (falling back to the
        validator for a document it did not judge); {} when the child failed."""
        try:
            found: dict[int, dict[tuple[str, int], dict]] = self.call.result()
        except Exception:  # noqa: BLE001 - whatever it was, the rules run here instead
            return {}
        return {index: _answering(errors) for index, errors in found.items()}


# Fewer pending documents than this are judged in process: forking costs more than they do.
MIN_DOCUMENTS_AHEAD = 300


def _kind(doc: YamlDocument) -> object:
    return doc.data.get("kind") if isinstance(doc.data, dict) else None


def _has_passed(rule_key: str, doc: YamlDocument, passed: Bucket | None) -> bool:
    return passed is not None and bool(passed.get((rule_key, doc.content_digest, doc.index)))


def _judge_all(rules: list[Any], work: list[tuple[int, list[YamlDocument]]],
               ) -> dict[int, dict[tuple[str, int], dict]]:
    """In the child: per rule whose schema compiles, every document's errors ({} if none)."""
    from cerberus import SchemaError, Validator

    verdicts = {}
    for index, docs in work:
        try:
            validator = Validator(rules[index].schema_, allow_unknown=True)
        except SchemaError:
            continue  # left to the parent, which reports it where the schema is
        judge = _judging(rules[index], validator)
        verdicts[index] = {(doc.file, doc.index): judge(doc) for doc in docs}
    return verdicts


def _answering(errors: dict[tuple[str, int], dict]) -> Judge:
    def judge(doc: YamlDocument) -> dict:
        # The child judged every document of the rule's kind that had not passed, typed or not:
        # a superset of what the parent asks about.
        return errors[(doc.file, doc.index)]

    return judge


def _not_passed(rule_key: str, entries: list[Entry],
                passed: Bucket | None) -> list[tuple[Entry, tuple]]:
    """The entries (with their keys in `passed`) that have not passed this rule before."""
    keyed = [(entry, (rule_key, entry.doc.content_digest, entry.doc.index)) for entry in entries]
    return [(entry, key) for entry, key in keyed if passed is None or not passed.get(key)]


def _compile(rule: Any, platform: Entry, index: int, problems: Collector) -> Validator | None:
    from cerberus import SchemaError, Validator  # only when a document needs checking

    try:
        return Validator(rule.schema_, allow_unknown=True)
    except SchemaError as exc:
        # positions are found on demand (by parsing the file again): only for the report
        problems.error("PLATFORM-RULE-INVALID", f"rule {rule.id}: the schema is not a valid "
                       f"cerberus schema: {str(exc).splitlines()[0]}",
                       platform.at("spec", "rules", index, "schema"))
        return None


# cerberus's normalization (coercion, defaults, renames, purges) is three quarters of its time
# (measured) and a no-op for a schema that asks for none of it: such rules skip it.
_NORMALIZATION_RULES = frozenset({"coerce", "default", "default_setter", "rename",
                                  "rename_handler", "purge_unknown", "purge_readonly"})


def _normalizes(schema: Any) -> bool:
    if isinstance(schema, dict):
        return any(key in _NORMALIZATION_RULES or _normalizes(value)
                   for key, value in schema.items())
    if isinstance(schema, (list, tuple)):
        return any(_normalizes(item) for item in schema)
    return False


def _report(rule: Any, entry: Entry, errors: dict, path: tuple, problems: Collector) -> None:
    for key, messages in sorted(errors.items(), key=lambda item: str(item[0])):
        for message in messages:
            if isinstance(message, dict):
                _report(rule, entry, message, (*path, key), problems)
                continue
            dotted = ".".join(str(p) for p in (*path, key))
            problems.error(rule.id, f"{dotted}: {message} ({rule.description})",
                           entry.doc.position((*path, key)), rule.hint)
