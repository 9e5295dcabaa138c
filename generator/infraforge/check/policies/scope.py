"""Which tenant and environment a rendered object belongs to, and what kind of object it is.

The tenant comes from the object's labels (`infraforge.io/tenant`, `infraforge.io/environment`)
and, failing that, from where it was rendered (`<env>/<tenant>/<app>/<file>`); its namespace
must then be `<tenant>-<env>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infraforge.check.objects import RenderedObject
from infraforge.render.meta import ENV_LABEL, TENANT_LABEL

# Rendered folders that belong to the platform, not to a tenant (`<env>/platform/velero/`...).
PLATFORM_DIRS = frozenset({"argocd", "backstage", "platform"})
NOT_KUBERNETES_GROUPS = ("backstage.io",)


@dataclass(frozen=True)
class Scope:
    tenant: str
    environment: str

    @property
    def namespace(self) -> str:
        return f"{self.tenant}-{self.environment}"


def group_of(obj: RenderedObject) -> str:
    return obj.api_version.rpartition("/")[0]


def labels_of(obj: RenderedObject) -> dict[str, Any]:
    return _mapping(_mapping(obj.body.get("metadata")).get("labels"))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def is_kubernetes(obj: RenderedObject) -> bool:
    return (isinstance(obj.body, dict) and bool(obj.kind)
            and group_of(obj) not in NOT_KUBERNETES_GROUPS)


def label_scope(obj: RenderedObject) -> Scope | None:
    labels = labels_of(obj)
    tenant, env = labels.get(TENANT_LABEL), labels.get(ENV_LABEL)
    if isinstance(tenant, str) and isinstance(env, str) and tenant and env:
        return Scope(tenant, env)
    return None


def path_scope(obj: RenderedObject) -> Scope | None:
    parts = obj.file.split("/")
    if len(parts) == 4 and parts[0] not in PLATFORM_DIRS and parts[1] not in PLATFORM_DIRS:
        return Scope(parts[1], parts[0])
    return None


def scope_of(obj: RenderedObject) -> Scope | None:
    """Kept on the object once known (its body never changes): validation asks for it when it
    gathers a file's facts and again in the policy tree and the exception checks."""
    memo = obj.__dict__
    if _SCOPE not in memo:
        memo[_SCOPE] = label_scope(obj) or path_scope(obj)
    return memo[_SCOPE]


_SCOPE = "_policy_scope"
