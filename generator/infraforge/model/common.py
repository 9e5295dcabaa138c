"""Building blocks shared by every catalog kind."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

API_VERSION = "platform.infraforge.io/v1"
ENVIRONMENT_NAMES = ("dev", "staging", "prod")

# Strict: YAML values are never coerced ("1.10" stays a float and fails a string field).
STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)

DNS_LABEL_PATTERN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
DnsLabel = Annotated[str, StringConstraints(pattern=DNS_LABEL_PATTERN, max_length=63)]
Environment = Literal["dev", "staging", "prod"]
Quantity = Annotated[
    str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$", max_length=32)
]
CpuQuantity = Quantity | Annotated[int, Field(ge=0)]
Storage = Annotated[str, StringConstraints(pattern=r"^[0-9]+(Mi|Gi|Ti)$", max_length=16)]

# An image reference as container runtimes read it: [registry[:port]/]repository[:tag][@digest],
# lower-case repository. Nothing else: a URL (`https://user:token@host/x`) would put its scheme
# and credentials into every rendered Deployment.
_HOST = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?"
_PATH_PART = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = r"[a-z0-9]+(?:[-_+.][a-z0-9]+)*:[0-9a-f]{32,}"
IMAGE_PATTERN = rf"^(?:{_HOST}/)?{_PATH_PART}(?:/{_PATH_PART})*(?::{_TAG})?(?:@{_DIGEST})?$"
ImageReference = Annotated[str, StringConstraints(pattern=IMAGE_PATTERN, max_length=255)]


class Strict(BaseModel):
    model_config = STRICT


class Metadata(Strict):
    name: DnsLabel
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None


class Document(Strict):
    """The Kubernetes-style envelope every catalog file uses."""

    apiVersion: Literal["platform.infraforge.io/v1"]
    kind: str
    metadata: Metadata


class Compute(Strict):
    cpu: CpuQuantity | None = None
    memory: Quantity | None = None


class Resources(Strict):
    requests: Compute | None = None
    limits: Compute | None = None


# What a pattern stands for, and how to write one, for messages: its regular expression helps
# no one who mistyped an image
PATTERN_MEANINGS = {
    DNS_LABEL_PATTERN: (
        "a DNS label",
        "lower-case letters, digits and '-', starting and ending with a letter or digit"),
    IMAGE_PATTERN: (
        "an image reference",
        "write [registry[:port]/]repository[:tag][@digest], e.g. registry.example/team/app:1.2.3"),
}
