"""Building blocks shared by every catalog kind."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

API_VERSION = "platform.infraforge.io/v1"
ENVIRONMENT_NAMES = ("dev", "staging", "prod")

# Strict: YAML values are never coerced ("1.10" stays a float and fails a string field).
STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)

DnsLabel = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", max_length=63)
]
Environment = Literal["dev", "staging", "prod"]
Quantity = Annotated[
    str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$", max_length=32)
]
CpuQuantity = Quantity | Annotated[int, Field(ge=0)]
Storage = Annotated[str, StringConstraints(pattern=r"^[0-9]+(Mi|Gi|Ti)$", max_length=16)]


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
