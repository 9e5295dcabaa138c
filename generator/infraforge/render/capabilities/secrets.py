"""secrets → External Secrets Operator, one Vault-backed SecretStore per tenant namespace.

Each namespace's store logs in to Vault with its own ServiceAccount and its own Kubernetes-auth
role (`tenant-<tenant>-<env>`), whose policy reads only `<kv>/tenants/<tenant>/<env>/*`: a
tenant can neither name nor reach another tenant's paths, and no ClusterSecretStore exists
(ESO's multi-tenancy guide). The store and its account are platform-owned guardrails.

Credentials the capabilities need (Redis password, MinIO root and user keys, database and
RabbitMQ users) are generated inside the namespace by ESO's Password generator, once, and never
appear in git or in Vault.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from infraforge.render.capabilities.common import custom_resource
from infraforge.render.capabilities.components import component_namespace, vault_address
from infraforge.render.meta import (
    FOR_TENANT_LABEL,
    WAVE_SECRETS,
    obj,
    platform_labels,
    tenant_labels,
)

if TYPE_CHECKING:
    from infraforge.resolve.units import ResolvedService, Unit

ESO_API = "external-secrets.io/v1"
GENERATOR_API = "generators.external-secrets.io/v1alpha1"
STORE = "vault"
AUTH_ACCOUNT = "vault-auth"
GENERATOR = "password"
SECRETS_SUFFIX = "-secrets"
PASSWORD = "{{ .password }}"  # the generator's output, in ESO's template syntax


def service_secret_name(service: ResolvedService) -> str:
    """The Secret a service's Vault references land in; keys are the env var names."""
    return service.name + SECRETS_SUFFIX


def vault_role(unit: Unit) -> str:
    return f"tenant-{unit.tenant}-{unit.environment}"


def vault_prefix(unit: Unit) -> str:
    return f"tenants/{unit.tenant}/{unit.environment}"


def guardrail_objects(unit: Unit) -> list[dict[str, Any]]:
    """The tenant's SecretStore and the ServiceAccount it authenticates to Vault with."""
    secrets = unit.settings["secrets"]
    labels = tenant_labels(unit.tenant, unit.environment)
    account = obj("v1", "ServiceAccount", AUTH_ACCOUNT, unit.namespace, labels, unit.tenant_file,
                  automountServiceAccountToken=False)
    vault = {"server": vault_address(unit.platform), "path": secrets["kvMount"], "version": "v2",
             "auth": {"kubernetes": {"mountPath": secrets["authMount"], "role": vault_role(unit),
                                     "serviceAccountRef": {"name": AUTH_ACCOUNT}}}}
    store = custom_resource(unit, ESO_API, "SecretStore", STORE, unit.tenant_file,
                            {"provider": {"vault": vault}}, WAVE_SECRETS)
    return [account, store]


def service_external_secret(unit: Unit, service: ResolvedService) -> dict[str, Any]:
    """The service's Vault references, synced into `<service>-secrets`."""
    prefix = vault_prefix(unit)
    data = [{"secretKey": ref["name"],
             "remoteRef": {"key": f"{prefix}/{ref['path']}", "property": ref["key"]}}
            for ref in sorted(service.settings["secrets"], key=lambda r: r["name"])]
    spec = {"refreshInterval": unit.settings["secrets"]["refreshInterval"],
            "secretStoreRef": {"kind": "SecretStore", "name": STORE},
            "target": {"name": service_secret_name(service), "creationPolicy": "Owner"},
            "data": data}
    return custom_resource(unit, ESO_API, "ExternalSecret", service_secret_name(service),
                           service.file, spec, WAVE_SECRETS)


def password_generator(unit: Unit, source: str) -> dict[str, Any]:
    # Letters and digits only: the values end up in connection strings and config files.
    spec = {"length": 32, "digits": 8, "symbols": 0, "noUpper": False, "allowRepeat": True}
    return custom_resource(unit, GENERATOR_API, "Password", GENERATOR, source, spec,
                           WAVE_SECRETS)


def generated_secret(unit: Unit, name: str, source: str, data: dict[str, str],
                     secret_type: str | None = None) -> dict[str, Any]:
    """A Secret `name` whose values are templates over one freshly generated password."""
    template: dict[str, Any] = {"engineVersion": "v2", "data": data}
    if secret_type:
        template["type"] = secret_type
    spec = {"refreshPolicy": "CreatedOnce",
            "target": {"name": name, "creationPolicy": "Owner", "template": template},
            "dataFrom": [{"sourceRef": {"generatorRef": {
                "apiVersion": GENERATOR_API, "kind": "Password", "name": GENERATOR}}}]}
    return custom_resource(unit, ESO_API, "ExternalSecret", name, source, spec, WAVE_SECRETS)


def vault_access(unit: Unit) -> dict[str, Any]:
    """The Vault policy and Kubernetes-auth role of this namespace, for the Vault bootstrap.

    Rendered into Vault's namespace (platform layer) as data: a platform job or operator
    applies it with `vault policy write` / `vault write auth/<mount>/role/<role>`.
    """
    kv, prefix, role = unit.settings["secrets"]["kvMount"], vault_prefix(unit), vault_role(unit)
    policy = (f'path "{kv}/data/{prefix}/*" {{\n  capabilities = ["read"]\n}}\n'
              f'path "{kv}/metadata/{prefix}/*" {{\n  capabilities = ["read", "list"]\n}}\n')
    binding = {"bound_service_account_names": [AUTH_ACCOUNT],
               "bound_service_account_namespaces": [unit.namespace],
               "token_policies": [role], "token_ttl": "15m", "token_max_ttl": "1h"}
    data = {"role": role, "auth-mount": unit.settings["secrets"]["authMount"],
            "policy.hcl": policy, "role.json": json.dumps(binding, sort_keys=True) + "\n"}
    return obj("v1", "ConfigMap", f"tenant-{unit.namespace}",
               component_namespace(unit.platform, "vault"),
               platform_labels(unit.environment, **{FOR_TENANT_LABEL: unit.tenant}),
               unit.tenant_file, data=data)
