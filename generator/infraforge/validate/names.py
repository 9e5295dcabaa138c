"""Names become namespaces, file paths, labels and Backstage entity names: check them composed.

pydantic already holds each name to the DNS-1123 label pattern; what only shows once names are
put together lives here: composed lengths, reserved namespaces, and tenant names that read like
another tenant's namespace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infraforge.errors import Collector
from infraforge.model.common import ENVIRONMENT_NAMES

if TYPE_CHECKING:
    from infraforge.validate.catalog import Catalog

MAX_LABEL = 63
RESERVED_TENANTS = frozenset({
    "default", "kube", "kube-system", "kube-public", "kube-node-lease", "argocd", "infraforge",
    "platform", "monitoring", "vault", "velero", "backstage", "cnpg-system", "external-secrets",
})


# Platform AppProjects and Applications are named platform-<component> and infraforge-<...>:
# a tenant's AppProject (named after the tenant) must never be able to take one of those names.
RESERVED_PREFIXES = ("kube-", "platform-", "infraforge-")


def namespace_of(tenant: str, environment: str) -> str:
    return f"{tenant}-{environment}"


def check_names(catalog: Catalog, problems: Collector) -> None:
    longest_env = max(catalog.environments, key=len)
    for tenant, entry in catalog.tenants.items():
        # positions are looked up only for a problem: a cached document would re-parse for them
        if tenant in RESERVED_TENANTS or tenant.startswith(RESERVED_PREFIXES):
            problems.error("INVALID-NAME", f"tenant name {tenant!r} is reserved by the platform",
                           entry.at("metadata", "name"), "choose a team name")
        suffix = next((e for e in ENVIRONMENT_NAMES if tenant.endswith(f"-{e}")), None)
        if suffix:
            problems.error("NAMESPACE-COLLISION", f"tenant name {tenant!r} ends in '-{suffix}' "
                           "and would read as another tenant's namespace",
                           entry.at("metadata", "name"),
                           f"drop the '-{suffix}' suffix; environments are added by the compiler")
        namespace = namespace_of(tenant, longest_env)
        if len(namespace) > MAX_LABEL:
            problems.error("INVALID-NAME", f"namespace {namespace!r} would be {len(namespace)} "
                           f"characters; the limit is {MAX_LABEL}", entry.at("metadata", "name"),
                           "shorten the name")
    for (tenant, service), entry in catalog.services.items():
        component = f"{tenant}-{service}"
        if len(component) > MAX_LABEL:
            problems.error("INVALID-NAME", f"Backstage component {component!r} would be "
                           f"{len(component)} characters; the limit is {MAX_LABEL}",
                           entry.at("metadata", "name"), "shorten the service name")
