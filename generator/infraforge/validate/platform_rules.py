"""The platform team's own rules, declared as cerberus schemas in the Platform document.

Each rule names the kind it applies to and a cerberus schema for that kind's `spec`; unknown
keys are allowed (the pydantic model already owns the shape), so a rule only adds constraints,
e.g. a cost-centre pattern. No Python is needed to add one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cerberus import SchemaError, Validator

from infraforge.errors import Collector
from infraforge.validate.structure import strip_patch_markers

if TYPE_CHECKING:
    from infraforge.validate.catalog import Catalog, Entry


def check_platform_rules(catalog: Catalog, problems: Collector) -> None:
    documents = {
        "Tenant": list(catalog.tenants.values()),
        "Service": list(catalog.services.values()),
        "InfraForge": list(catalog.requests.values()),
    }
    for index, rule in enumerate(catalog.platform.model.spec.rules):
        try:
            validator = Validator(rule.schema_, allow_unknown=True)
        except SchemaError as exc:
            problems.error("PLATFORM-RULE-INVALID", f"rule {rule.id}: the schema is not a valid "
                           f"cerberus schema: {str(exc).splitlines()[0]}",
                           catalog.platform.at("spec", "rules", index, "schema"))
            continue
        for entry in documents[rule.appliesTo]:
            spec = strip_patch_markers(entry.doc.data.get("spec", {}))
            if not validator.validate(spec):
                _report(rule, entry, validator.errors, ("spec",), problems)


def _report(rule: Any, entry: Entry, errors: dict, path: tuple, problems: Collector) -> None:
    for key, messages in sorted(errors.items(), key=lambda item: str(item[0])):
        for message in messages:
            if isinstance(message, dict):
                _report(rule, entry, message, (*path, key), problems)
                continue
            dotted = ".".join(str(p) for p in (*path, key))
            problems.error(rule.id, f"{dotted}: {message} ({rule.description})",
                           entry.doc.position((*path, key)), rule.hint)
