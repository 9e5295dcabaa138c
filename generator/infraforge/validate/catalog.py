"""Stage 2: typed documents, sorted into a Catalog, with every cross-document rule checked.

Where a document lives decides who may own it (CODEOWNERS works on folders), so placement is
enforced: a tenant's files under `catalog/tenants/<tenant>/` may only speak for that tenant.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from infraforge.errors import Collector, Position
from infraforge.incremental.store import Bucket
from infraforge.lazy import cached_property
from infraforge.load.catalog import RawCatalog
from infraforge.load.yaml_source import YamlDocument
from infraforge.model.kinds import (
    KINDS,
    EnvironmentOverlay,
    InfraForge,
    Platform,
    Service,
    Tenant,
)
from infraforge.validate.names import check_names
from infraforge.validate.platform_rules import check_platform_rules
from infraforge.validate.rules_ahead import RulesAhead
from infraforge.validate.secrets import check_plaintext_secrets
from infraforge.validate.structure import PATCH_KEY, parse_document

T = TypeVar("T")
TENANTS_DIR = "catalog/tenants/"


class Entry(Generic[T]):
    """A typed document together with the positioned YAML it came from.

    A document whose file compiled cleanly before (YamlDocument.checked) is typed when its
    model is first read: a one-tenant change types that tenant's documents and what the
    compile reads of the others, not all 6,500 of a 1,000-tenant catalog (pydantic: 0.15-0.25 s).
    The rules between documents read the few fields they compare through `name`, `tenant` and
    `overrides`, from the document itself: strict typing converts nothing, so they equal the
    model's.
    """

    def __init__(self, doc: YamlDocument, model: T | None = None):
        self.doc = doc
        if model is not None:
            self.__dict__["model"] = model

    @cached_property
    def model(self) -> T:
        typed, problems = parse_document(self.doc)
        if typed is None:  # it typed when its file compiled, with this very generator
            raise RuntimeError(f"{self.doc.file} no longer types: {problems[0].message}")
        return typed  # type: ignore[return-value]

    @property
    def name(self) -> str:
        return self.doc.data["metadata"]["name"]

    @property
    def tenant(self) -> str:
        """The tenant a Tenant is, or that another document belongs to."""
        data = self.doc.data
        return data["metadata"]["name"] if data["kind"] == "Tenant" else data["spec"]["tenant"]

    @property
    def environments(self) -> list[str]:
        """The environments a Tenant uses (spec.environments)."""
        return self.doc.data["spec"]["environments"]

    @property
    def overrides(self) -> list[str]:
        """The environments a Service overrides settings for (spec.environments)."""
        return [env for env in self.doc.data["spec"].get("environments") or () if env != PATCH_KEY]

    def at(self, *path: str | int) -> Position:
        return self.doc.position(path)


@dataclass(frozen=True)
class Catalog:  # frozen, but cached_property needs a __dict__: no slots
    platform: Entry[Platform]
    overlays: MappingProxyType[str, Entry[EnvironmentOverlay]]
    tenants: MappingProxyType[str, Entry[Tenant]]
    requests: MappingProxyType[tuple[str, str], Entry[InfraForge]]
    services: MappingProxyType[tuple[str, str], Entry[Service]]

    @property
    def environments(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.platform.model.spec.environments)

    def services_of(self, tenant: str) -> list[Entry[Service]]:
        """The tenant's services, sorted by name (`services` is sorted by (tenant, name))."""
        return self._services_by_tenant.get(tenant, [])

    @cached_property
    def _services_by_tenant(self) -> dict[str, list[Entry[Service]]]:
        grouped: dict[str, list[Entry[Service]]] = {}
        for (tenant, _), entry in self.services.items():
            grouped.setdefault(tenant, []).append(entry)
        return grouped


def validate_catalog(raw: RawCatalog, rule_cache: Bucket | None = None) -> Catalog:
    """Type every document and check the rules between them; all problems are raised together."""
    problems = Collector()
    rules_ahead = RulesAhead.start(raw.documents, rule_cache)  # a child applies them meanwhile
    try:
        by_kind = _sort_by_kind(raw.documents, problems)
        # Per-document rules run even when other documents failed to type, so one run shows all.
        check_plaintext_secrets(by_kind.get("Service", []), problems)
        check_platform_rules(by_kind, problems, rule_cache, rules_ahead)
    finally:
        if rules_ahead is not None:
            rules_ahead.close()
    problems.raise_if_errors()
    catalog = _assemble(by_kind, problems)
    check_references(catalog, problems)
    check_names(catalog, problems)
    problems.raise_if_errors()
    return catalog


def _sort_by_kind(docs: tuple[YamlDocument, ...], problems: Collector) -> dict[str, list[Entry]]:
    by_kind: dict[str, list[Entry]] = {}
    for doc in docs:
        if doc.checked and doc.kind in KINDS:  # else typing it says what is wrong
            by_kind.setdefault(doc.kind, []).append(Entry(doc))
            continue
        model, diagnostics = parse_document(doc)
        problems.extend(diagnostics)
        if model is not None:
            by_kind.setdefault(model.kind, []).append(Entry(doc, model))
    return by_kind


def _assemble(by_kind: dict[str, list[Entry]], problems: Collector) -> Catalog:
    platforms = by_kind.get("Platform", [])
    if len(platforms) != 1:
        where = platforms[1].at() if platforms else Position("catalog/platform.yaml")
        problems.error("PLATFORM-COUNT", f"expected exactly one Platform document, found "
                       f"{len(platforms)}", where, "keep one Platform in catalog/platform.yaml")
        problems.raise_if_errors()
    _check_placement(by_kind, problems)
    return Catalog(
        platform=platforms[0],
        overlays=_unique(by_kind.get("EnvironmentOverlay", []), lambda e: e.name, problems),
        tenants=_unique(by_kind.get("Tenant", []), lambda e: e.name, problems),
        requests=_unique(by_kind.get("InfraForge", []),
                         lambda e: (e.tenant, e.doc.data["spec"]["environment"]), problems),
        services=_unique(by_kind.get("Service", []), lambda e: (e.tenant, e.name), problems),
    )


def _unique(entries: list[Entry], key: Any, problems: Collector) -> MappingProxyType:
    seen: dict[Any, Entry] = {}
    for entry in entries:
        name = key(entry)
        if name in seen:
            shown = "/".join(name) if isinstance(name, tuple) else name
            problems.error("DUPLICATE-NAME", f"{entry.doc.data['kind']} {shown!r} is defined twice",
                           entry.at("metadata", "name"),
                           f"first defined at {seen[name].at('metadata', 'name')}")
            continue
        seen[name] = entry
    return MappingProxyType(dict(sorted(seen.items())))


def _check_placement(by_kind: dict[str, list[Entry]], problems: Collector) -> None:
    for kind, entries in by_kind.items():
        for entry in entries:
            folder_tenant = _tenant_folder(entry.doc.file)
            if kind in ("Platform", "EnvironmentOverlay"):
                expected = "overlays/" if kind == "EnvironmentOverlay" else "catalog/"
                if folder_tenant is not None or not entry.doc.file.startswith(expected):
                    problems.error("MISPLACED-DOCUMENT", f"a {kind} must live under {expected} "
                                   f"(outside {TENANTS_DIR})", entry.at("kind"),
                                   "platform documents are owned by the platform team")
            elif folder_tenant != (owner := entry.tenant):
                problems.error("TENANT-SCOPE", f"{kind} for tenant {owner!r} is in "
                               f"{entry.doc.file}; it must live under {TENANTS_DIR}{owner}/",
                               entry.at("spec", "tenant") if kind != "Tenant" else entry.at(),
                               "a tenant's files may only describe that tenant")


def _tenant_folder(file: str) -> str | None:
    if not file.startswith(TENANTS_DIR):
        return None
    return file[len(TENANTS_DIR):].split("/", 1)[0]


def check_references(catalog: Catalog, problems: Collector) -> None:
    """Every tenant, environment and overlay a document names must exist."""
    environments = catalog.environments
    for env in environments:
        if env not in catalog.overlays:
            problems.error("MISSING-OVERLAY", f"environment {env!r} has no overlay",
                           catalog.platform.at("spec", "environments"),
                           f"add overlays/{env}.yaml (kind: EnvironmentOverlay, name: {env})")
    for name, entry in catalog.overlays.items():
        if name not in environments:
            problems.error("UNKNOWN-REF", f"overlay for unknown environment {name!r}",
                           entry.at("metadata", "name"), _suggest(name, environments))
    for name, entry in catalog.tenants.items():
        for i, env in enumerate(entry.environments):
            if env not in environments:
                problems.error("UNKNOWN-REF", f"tenant {name!r} lists environment {env!r}, which "
                               "the platform does not have", entry.at("spec", "environments", i),
                               _suggest(env, environments))
    for (tenant, env), entry in catalog.requests.items():
        _check_tenant_ref(catalog, tenant, entry, problems)
        tenant_entry = catalog.tenants.get(tenant)
        if tenant_entry and env not in tenant_entry.environments:
            problems.error("UNKNOWN-REF", f"request for {tenant}/{env}, but tenant {tenant!r} "
                           f"does not list {env!r}", entry.at("spec", "environment"),
                           f"add {env!r} to spec.environments in {tenant_entry.doc.file}")
    for (tenant, _), entry in catalog.services.items():
        _check_tenant_ref(catalog, tenant, entry, problems)
        for env in entry.overrides:
            tenant_entry = catalog.tenants.get(tenant)
            if tenant_entry and env not in tenant_entry.environments:
                problems.error("UNKNOWN-REF", f"override for environment {env!r}, which tenant "
                               f"{tenant!r} does not use",
                               entry.doc.key_position(("spec", "environments", env)),
                               _suggest(env, tenant_entry.environments))
    _check_service_count(catalog, problems)


def _check_tenant_ref(catalog: Catalog, tenant: str, entry: Entry, problems: Collector) -> None:
    if tenant not in catalog.tenants:
        problems.error("UNKNOWN-REF", f"unknown tenant {tenant!r}", entry.at("spec", "tenant"),
                       _suggest(tenant, list(catalog.tenants)) or "declare the Tenant first")


def _check_service_count(catalog: Catalog, problems: Collector) -> None:
    limit = catalog.platform.model.spec.limits.maxServicesPerTenant
    for tenant in catalog.tenants:
        services = catalog.services_of(tenant)
        if len(services) > limit:
            problems.error("TOO-MANY-SERVICES", f"tenant {tenant!r} has {len(services)} services,"
                           f" the platform allows {limit}", services[limit].at("metadata", "name"),
                           "raise spec.limits.maxServicesPerTenant in the Platform document")


def _suggest(word: str, options: Any) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}?" if close else ""
