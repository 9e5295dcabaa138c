"""The platform team's own rules, declared as cerberus schemas in the Platform document.

Each rule names the kind it applies to and a cerberus schema for that kind's `spec`; unknown
keys are allowed (the pydantic model already owns the shape), so a rule only adds constraints,
e.g. a cost-centre pattern. No Python is needed to add one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from infraforge.errors import Collector
from infraforge.incremental.fingerprint import digest
from infraforge.incremental.store import Bucket
from infraforge.load.yaml_source import YamlDocument
from infraforge.validate.structure import strip_patch_markers

if TYPE_CHECKING:
    from cerberus import Validator

    from infraforge.validate.catalog import Entry
    from infraforge.validate.rules_ahead import RulesAhead


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
        rule_key = key_of(rule)
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
    return judging(rule, validator) if validator is not None else None


def judging(rule: Any, validator: Validator) -> Judge:
    """`validator` (the rule's schema, compiled) as a Judge."""
    normalize = _normalizes(rule.schema_)

    def judge(doc: YamlDocument) -> dict:
        spec = strip_patch_markers(doc.data.get("spec", {}))
        return {} if validator.validate(spec, normalize=normalize) else validator.errors

    return judge


def key_of(rule: Any) -> str:
    return digest(rule.model_dump_json())


def passed_key(rule_key: str, doc: YamlDocument) -> tuple[str, str, int]:
    """Where `passed` remembers that `doc` passed the rule: the rule, the file's bytes and the
    document's place in it."""
    return rule_key, doc.content_digest, doc.index


def _not_passed(rule_key: str, entries: list[Entry],
                passed: Bucket | None) -> list[tuple[Entry, tuple]]:
    """The entries (with their keys in `passed`) that have not passed this rule before."""
    keyed = [(entry, passed_key(rule_key, entry.doc)) for entry in entries]
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
