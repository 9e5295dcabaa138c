"""Resolve the catalog into units: one per tenant × environment, each self-contained.

A unit carries everything its render needs (and nothing from other tenants), so rendering is a
pure function of the unit: the seam for caching and parallel rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from infraforge.lazy import cached_property
from infraforge.model.kinds import PlatformSpec, Service, Tenant, TenantSpec
from infraforge.resolve import defaults
from infraforge.resolve.layers import Layer
from infraforge.resolve.merge import merge_layers, merge_onto
from infraforge.validate.catalog import Catalog, Entry
from infraforge.validate.names import namespace_of

IDENTITY_KEYS = ("tenant", "environment", "displayName", "description", "owner", "members",
                 "costCenter", "environments")
SERVICE_EXCLUDED = ("tenant", "environments")


@dataclass(frozen=True)
class ResolvedService:
    """One service in one environment; `settings` is merged from its layers on first use.

    `layers` is the whole chain (for provenance); the merge starts from `base`, the unit's
    workload defaults already merged, and adds only the service's own layers.
    """

    name: str
    file: str
    layers: tuple[Layer, ...]
    base: dict[str, Any] = field(repr=False)
    own_layers: int = 0

    @cached_property
    def settings(self) -> dict[str, Any]:
        return merge_onto(self.base, *(layer.data for layer in self.layers[-self.own_layers:]))


@dataclass(frozen=True)
class Unit:
    """Everything needed to render one tenant in one environment.

    The merge happens on first use of `settings` or `services`: a unit whose output is cached
    is never merged at all, which is what makes an unchanged catalog cheap.
    """

    tenant: str
    environment: str
    namespace: str
    cluster_server: str
    platform: PlatformSpec
    tenant_entry: Entry[Tenant] = field(repr=False)  # typed only if read (see Entry)
    layers: tuple[Layer, ...]
    service_entries: tuple[Entry[Service], ...] = field(repr=False)
    # built-in defaults ← overlay, merged once per environment and shared by its units
    environment_base: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.tenant}/{self.environment}"

    @property
    def tenant_spec(self) -> TenantSpec:
        return self.tenant_entry.model.spec

    @property
    def tenant_file(self) -> str:
        return self.tenant_entry.doc.file

    @cached_property
    def settings(self) -> dict[str, Any]:
        return merge_onto(self.environment_base,
                          *(layer.data for layer in self.layers[ENVIRONMENT_LAYERS:]))

    @cached_property
    def services(self) -> tuple[ResolvedService, ...]:
        # The service defaults and the workload keys are disjoint (model/settings.py), so
        # merging the defaults under the unit's merged workload equals merging them in their
        # place in the chain, and equals their union: both are merge results, read-only by
        # contract, so the union shares them instead of copying (a third of this, measured).
        base = {**defaults.SERVICE_DEFAULTS, **self.settings["workload"]}
        services = []
        for entry in self.service_entries:
            layers = service_layers(entry, self.environment, self.layers)
            own = len(layers) - len(self.layers) - 1  # the service file and its override
            services.append(ResolvedService(entry.model.metadata.name, entry.doc.file, layers,
                                            base, own))
        return tuple(services)


def resolve_units(catalog: Catalog) -> tuple[Unit, ...]:
    """Stage 3: every tenant × environment it uses, sorted by environment then tenant.

    Units merge lazily: only units rendered this run are merged and checked (see
    resolve/unit_checks.py), the others come from the cache. What units have in common (an
    environment's layers and their merge, a tenant's own layer) is built once and shared.
    """
    environments = [_environment(catalog, env) for env in catalog.environments]
    tenant_layers = {tenant: _spec_layer(entry) for tenant, entry in catalog.tenants.items()}
    return tuple(
        _resolve(catalog, tenant, environment, tenant_layers[tenant])
        for environment in environments
        for tenant, entry in catalog.tenants.items()
        if environment.name in entry.environments
    )


def resolve_unit(catalog: Catalog, tenant: str, env: str) -> Unit:
    return _resolve(catalog, tenant, _environment(catalog, env),
                    _spec_layer(catalog.tenants[tenant]))


ENVIRONMENT_LAYERS = 2  # the first layers of every unit: built-in defaults, the overlay


@dataclass(frozen=True)
class _Environment:
    """What every unit of one environment shares."""

    name: str
    layers: tuple[Layer, ...]  # built-in defaults, the overlay
    base: dict[str, Any]  # their merge
    server: str  # its cluster


def _environment(catalog: Catalog, env: str) -> _Environment:
    layers = (Layer(defaults.SOURCE, dict(defaults.UNIT_DEFAULTS)),
              _spec_layer(catalog.overlays[env]))
    cluster = next(e.cluster for e in catalog.platform.model.spec.environments if e.name == env)
    return _Environment(env, layers, merge_layers(*(layer.data for layer in layers)),
                        cluster.server)


def _resolve(catalog: Catalog, tenant: str, environment: _Environment, own: Layer) -> Unit:
    """built-in defaults ← overlays/<env> ← tenant ← the tenant's request for env."""
    entry, env = catalog.tenants[tenant], environment.name
    layers = (*environment.layers, own)
    request = catalog.requests.get((tenant, env))
    if request is not None:
        layers = (*layers, _spec_layer(request))
    return Unit(tenant, env, namespace_of(tenant, env), environment.server,
                catalog.platform.model.spec, entry, layers, tuple(catalog.services_of(tenant)),
                environment.base)


def service_layers(entry: Entry[Service], env: str, unit: tuple[Layer, ...]) -> tuple[Layer, ...]:
    """The unit's workload defaults ← service ← the service's override for env."""
    base = [layer.subtree("workload") for layer in unit]
    base.insert(1, Layer(defaults.SOURCE, dict(defaults.SERVICE_DEFAULTS)))
    base.append(_spec_layer(entry, SERVICE_EXCLUDED))
    override = Layer(entry.doc.file, entry.doc.data["spec"], entry.doc, ("spec",))
    override = override.subtree("environments").subtree(env)
    if override.data:
        base.append(override)
    return tuple(base)


def _spec_layer(entry: Entry, excluded: tuple[str, ...] = IDENTITY_KEYS) -> Layer:
    spec = entry.doc.data.get("spec") or {}
    data = {k: v for k, v in spec.items() if k not in excluded}
    return Layer(entry.doc.file, data, entry.doc, ("spec",))
