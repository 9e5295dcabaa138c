"""Kubernetes' own name rules (apimachinery's validation), as predicates with a reason."""

from __future__ import annotations

import re
from functools import lru_cache

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")


@lru_cache(maxsize=65536)  # the same keys and names repeat in every object
def dns_label(value: str) -> str | None:
    if len(value) > 63 or not _DNS_LABEL.fullmatch(value):
        return "a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and " \
               "ending with a letter or digit"
    return None


@lru_cache(maxsize=65536)
def dns1035_label(value: str) -> str | None:
    if len(value) > 63 or not _DNS1035_LABEL.fullmatch(value):
        return "a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with " \
               "a letter and ending with a letter or digit"
    return None


@lru_cache(maxsize=65536)
def dns_subdomain(value: str) -> str | None:
    if len(value) > 253 or not _DNS_SUBDOMAIN.fullmatch(value):
        return "a DNS-1123 subdomain: at most 253 characters of dot-separated DNS labels"
    return None


@lru_cache(maxsize=65536)
def path_segment(value: str) -> str | None:
    if value in (".", "..") or "/" in value or "%" in value:
        return "a path segment: not '.' or '..' and without '/' or '%'"
    return None


@lru_cache(maxsize=65536)
def qualified_name(key: str) -> str | None:
    """A label or annotation key: an optional DNS-subdomain prefix and '/', then a name."""
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or dns_subdomain(prefix)):
        return "a key whose prefix (before '/') is a DNS-1123 subdomain"
    if len(name) > 63 or not _QUALIFIED_NAME.fullmatch(name):
        return "a key whose name part is at most 63 letters, digits, '-', '_' or '.', " \
               "starting and ending with a letter or digit"
    return None


@lru_cache(maxsize=65536)
def label_value(value: str) -> str | None:
    if value and (len(value) > 63 or not _QUALIFIED_NAME.fullmatch(value)):
        return "a label value: empty, or at most 63 letters, digits, '-', '_' or '.', starting " \
               "and ending with a letter or digit"
    return None


# The name rule the API server applies per kind (the default is a DNS subdomain).
NAME_RULES = {
    "Namespace": dns_label, "Service": dns1035_label,
    "Role": path_segment, "ClusterRole": path_segment,
    "RoleBinding": path_segment, "ClusterRoleBinding": path_segment,
}
