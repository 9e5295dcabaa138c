"""Platform settings scoped to named objects: which findings they cover, which entries are stale.

A setting with `objects` is an exception for those objects only, so one single-replica service
does not weaken a rule for the whole platform. An object is named `<tenant>/<name>` (tenant from
its label, rendered path or `<tenant>-<env>` namespace) or `<namespace>/<name>`. An entry that
names no rendered object is reported: the exception should go when the object it excused goes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from infraforge.check.objects import RenderedObject
from infraforge.check.policies.registry import all_rules
from infraforge.check.policies.tree import is_kubernetes, scope_of
from infraforge.errors import Diagnostic, Position, Severity
from infraforge.model.common import ENVIRONMENT_NAMES
from infraforge.model.kinds import PolicySetting

PLATFORM_FILE = "catalog/platform.yaml"
STALE_SCOPE = "POLICY-STALE-SCOPE"


def object_names(obj: RenderedObject) -> frozenset[str]:
    """Every `<tenant>/<name>` and `<namespace>/<name>` a setting may use for `obj`."""
    scope, namespace = scope_of(obj), obj.namespace
    owners = {scope.tenant} if scope else set()
    if isinstance(namespace, str) and namespace:
        owners.add(namespace)
        environments = {*ENVIRONMENT_NAMES, *([scope.environment] if scope else [])}
        owners.update(namespace.removesuffix(f"-{env}") for env in environments
                      if namespace.endswith(f"-{env}") and len(namespace) > len(env) + 1)
    return frozenset(f"{owner}/{obj.name}" for owner in owners)


def covers(setting: PolicySetting, obj: RenderedObject) -> bool:
    """Whether the setting applies to a finding on `obj` (an unscoped one applies to all)."""
    return setting.objects is None or not object_names(obj).isdisjoint(setting.objects)


def describe_scope(setting: PolicySetting) -> str:
    return f" (only for {', '.join(setting.objects)})" if setting.objects else ""


def scoped_settings(settings: Mapping[str, PolicySetting]) -> dict[str, PolicySetting]:
    """The settings of known rules that name objects (unknown ids are reported on their own)."""
    rule_ids = {policy.id for policy in all_rules()}
    return {rule: s for rule, s in settings.items() if s.objects and rule in rule_ids}


def known_names(objects: Iterable[RenderedObject]) -> set[str]:
    return {name for obj in objects if is_kubernetes(obj) for name in object_names(obj)}


def stale_scopes(objects: Iterable[RenderedObject],
                 settings: Mapping[str, PolicySetting]) -> list[Diagnostic]:
    """A warning for every `objects` entry that names no rendered object.

    Give it every object of the tree at once (all roots): an entry is stale only when no root
    holds the object.
    """
    scoped = scoped_settings(settings)
    return stale_entries(scoped, known_names(objects)) if scoped else []


def stale_entries(scoped: Mapping[str, PolicySetting], known: set[str]) -> list[Diagnostic]:
    return [stale_entry(rule, entry, closest_name(entry, known))
            for rule, setting in sorted(scoped.items())
            for entry in setting.objects or () if entry not in known]


def closest_name(entry: str, names: Iterable[str]) -> str | None:
    """The known name `entry` most likely meant. The best over parts of the names is the best
    over all of them, so callers may give the best of each part."""
    close = difflib.get_close_matches(entry, sorted(names), n=1, cutoff=0.8)
    return close[0] if close else None


def stale_entry(rule: str, entry: str, close: str | None) -> Diagnostic:
    hint = (f"did you mean {close}? " if close else "") + (
        "if the object is gone, remove the entry so the exception goes with it")
    return Diagnostic(STALE_SCOPE, f"spec.policies.{rule}.objects names {entry}, which matches "
                      "no rendered object", Position(PLATFORM_FILE), hint, Severity.WARNING)
