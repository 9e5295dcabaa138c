"""The platform's rules judged in a forked child while the parent types the documents.

At 1,000 tenants cerberus takes 0.12-0.14 s over the documents the rules name, and typing them
0.14 s, one after the other on one core. When many documents wait for a rule (a cold render, a
changed Platform), a child forked before typing judges them and sends back cerberus's errors;
check_platform_rules reports from those instead of judging again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from infraforge.incremental.forked import ForkedCall
from infraforge.incremental.store import Bucket
from infraforge.load.yaml_source import YamlDocument
from infraforge.validate.platform_rules import Judge, judging, key_of, passed_key
from infraforge.validate.structure import parse_document

# Fewer pending documents than this are judged in process: forking costs more than they do.
MIN_DOCUMENTS_AHEAD = 300


class RulesAhead:
    """The child judges every document of a rule's kind that has not passed it before, typed or
    not (it starts before typing); the parent reports only for the documents that typed, as it
    would have. Without a child, or when it fails, the rules run in this process.
    """

    def __init__(self, call: ForkedCall):
        self.call = call

    @classmethod
    def start(cls, documents: Sequence[YamlDocument], passed: Bucket | None) -> RulesAhead | None:
        """None when there is little to judge, or no child could be forked."""
        platform = [doc for doc in documents if doc.kind == "Platform"]
        if len(platform) != 1:
            return None
        if platform[0].checked and sum(not doc.checked for doc in documents) < MIN_DOCUMENTS_AHEAD:
            return None  # same rules as in a clean compile, which the other documents passed
        typed = parse_document(platform[0])[0]
        rules = typed.spec.rules if typed is not None else []  # type: ignore[attr-defined]
        work = []
        for index, rule in enumerate(rules):
            rule_key = key_of(rule)
            work.append((index, [doc for doc in documents if doc.kind == rule.appliesTo and not
                                 (passed and passed.get(passed_key(rule_key, doc)))]))
        if sum(len(docs) for _, docs in work) < MIN_DOCUMENTS_AHEAD:
            return None
        call = ForkedCall(_judge_all, rules, work, inline=False)
        return cls(call) if call.forked else None

    def close(self) -> None:
        self.call.close()

    def verdicts(self) -> dict[int, Judge]:
        """Per rule index whose schema compiled, a Judge answering from the child's verdicts;
        {} when the child failed."""
        found: dict[int, dict[tuple[str, int], dict]] = self.call.result_or({})  # {}: judge here
        return {index: _answering(errors) for index, errors in found.items()}


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
        judge = judging(rules[index], validator)
        verdicts[index] = {(doc.file, doc.index): judge(doc) for doc in docs}
    return verdicts


def _answering(errors: dict[tuple[str, int], dict]) -> Judge:
    def judge(doc: YamlDocument) -> dict:
        # The child judged every document of the rule's kind that had not passed, typed or not:
        # a superset of what the parent asks about.
        return errors[(doc.file, doc.index)]

    return judge
