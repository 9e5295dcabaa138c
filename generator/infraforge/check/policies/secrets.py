"""No secret material in the rendered tree: only references (ExternalSecret, secretKeyRef).

Findings name the object and field, never the value: messages end up in CI logs, pull-request
annotations and SARIF uploads (the leak class of CVE-2025-23216 and CVE-2023-25163).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from infraforge.check.policies.podspec import as_dict, as_list
from infraforge.check.policies.registry import Finding, rule
from infraforge.check.policies.tree import PolicyTree
from infraforge.secret_patterns import SECRET_NAME, looks_like_credential, may_hold_credential

SECRET_PAYLOAD_FIELDS = ("data", "stringData")


@rule("POL-PLAINTEXT-SECRET", "no secret value is rendered: no Secret with data, no "
      "secret-named env literal, no private key or access key anywhere",
      hint="keep the value in Vault and reference it (spec.secrets in the service); the "
           "rendered tree must only hold references")
def plaintext_secret(tree: PolicyTree) -> Iterator[Finding]:
    for obj in tree.objects:
        if obj.kind == "Secret" and obj.body.get("apiVersion") == "v1":
            for key in SECRET_PAYLOAD_FIELDS:
                if as_dict(obj.body.get(key)):
                    yield Finding(obj, f"Secret carries {key} (values not shown)")
        # one scan of the whole object's text; walk its fields only when something may be there
        if may_hold_credential(repr(obj.body)):
            for path in credential_paths(obj.body, ""):
                yield Finding(obj, f"{path} holds what looks like a credential (value not "
                              "shown)")
    for container in tree.containers:
        for variable in as_list(container.body.get("env")):
            variable = as_dict(variable)
            name, value = str(variable.get("name", "")), variable.get("value")
            if SECRET_NAME.search(name) and value not in (None, ""):
                yield Finding(container.obj, f"{container.path}.env[{name}] looks like a secret "
                              "but has a literal value (value not shown)")


def credential_paths(node: Any, path: str) -> Iterator[str]:
    """Field paths of string values shaped like credentials (PEM keys, cloud keys, tokens)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from credential_paths(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from credential_paths(value, f"{path}[{index}]")
    elif isinstance(node, str) and looks_like_credential(node):
        yield path
