"""Every rule id the schema side of `infraforge validate` reports, with its one-line doc.

Policy rules (check.policies) document themselves; reporters fall back to the id alone.
"""

from __future__ import annotations

from functools import cache

RULES: dict[str, str] = {
    "YAML-SYNTAX": "a rendered file is not valid YAML",
    "YAML-ENCODING": "a rendered file is not UTF-8",
    "YAML-DUPLICATE-KEY": "a mapping repeats a key (kubeconform -strict rejects the document)",
    "YAML-NOT-OBJECT": "a document is not a mapping, so not a Kubernetes object",
    "SCHEMA-INVALID": "an object does not match its JSON schema (strict: unknown fields rejected)",
    "SCHEMA-MISSING": "no schema for the object's apiVersion and kind in the schema store",
    "SCHEMA-ERROR": "the schema engine could not check the object",
    "ENGINE-DISAGREE": "kubeconform and the fast path judged a document differently",
    "OBJECT-TYPE": "apiVersion or kind is missing",
    "OBJECT-ROOT-KEY": "a custom resource has a top-level field its CRD does not define",
    "META-MISSING": "metadata is missing or not a mapping",
    "META-UNKNOWN-KEY": "a custom resource's metadata has a field ObjectMeta does not define",
    "META-NAME": "metadata.name breaks the API server's naming rule for the kind",
    "META-NAMESPACE": "metadata.namespace is not a DNS-1123 label",
    "META-LABEL": "a label key or value breaks Kubernetes' label syntax",
    "META-ANNOTATION": "an annotation key breaks Kubernetes' key syntax, or annotations are "
                       "too large",
    "BACKSTAGE-SCHEMA": "a Backstage entity does not match Backstage's entity schema",
    "BACKSTAGE-KIND": "a Backstage entity has a kind no Backstage schema describes",
    "BACKSTAGE-ROOT-KEY": "a Backstage entity has a root field other than apiVersion, kind, "
                          "metadata, spec",
    "BACKSTAGE-NAME": "a Backstage entity name or namespace breaks Backstage's format rules",
    "BACKSTAGE-FORMAT": "a Backstage apiVersion, kind, label or annotation breaks Backstage's "
                        "format rules",
    "BACKSTAGE-TAG": "a Backstage tag breaks Backstage's format rules",
    "BACKSTAGE-LINK": "a Backstage link has no valid URL or an empty title/icon",
}


@cache
def all_rule_docs() -> dict[str, tuple[str, str]]:
    """Rule id → (default severity, doc), for ours and the policy rules."""
    from infraforge.check.policy_hook import policy_rules

    docs = {rule: ("warning" if rule == "ENGINE-DISAGREE" else "error", doc)
            for rule, doc in RULES.items()}
    docs.update({rule: (severity, doc) for rule, severity, doc in policy_rules()})
    return dict(sorted(docs.items()))


def describe(rule: str) -> str:
    return all_rule_docs().get(rule, ("", ""))[1]
