"""No secret value may enter the catalog: only Vault references (`secrets:`) are allowed.

A plaintext secret is reported with its file, line and key, never its value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infraforge.errors import Collector
from infraforge.secret_patterns import SECRET_NAME, looks_like_credential

if TYPE_CHECKING:
    from infraforge.validate.catalog import Entry

HINT = ("store the value in Vault and reference it under spec.secrets "
        "(name, path, key); the catalog must only hold references")


def check_plaintext_secrets(services: list[Entry], problems: Collector) -> None:
    for entry in services:
        if entry.doc.checked:
            continue  # it passed when its file compiled (YamlDocument.checked)
        spec = entry.model.spec
        _check_env(entry, spec.env or [], ("spec", "env"), problems)
        for env_name, override in spec.environments.items():
            _check_env(entry, override.env or [], ("spec", "environments", env_name, "env"),
                       problems)


def _check_env(entry: Entry, variables: list, path: tuple, problems: Collector) -> None:
    for index, variable in enumerate(variables):
        if looks_like_credential(variable.value):
            message = f"env {variable.name} holds what looks like a credential (value not shown)"
        elif SECRET_NAME.search(variable.name) and variable.value:
            message = f"env {variable.name} looks like a secret but has a literal value (value " \
                      "not shown)"
        else:
            continue
        # looked up only for a problem: a document from the cache re-parses for its positions
        problems.error("PLAINTEXT-SECRET", message,
                       entry.doc.position((*path, index, "value")), HINT)
