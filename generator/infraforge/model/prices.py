"""The Platform's price table: what a month of capacity costs, for `infraforge cost` and the diff.

Prices are list prices per month: per vCPU and per GiB of memory *requested* (the scheduler
reserves requests, so that is what a tenant occupies), per GiB of storage claimed, and per
capability instance (a database instance, a Redis node, a RabbitMQ replica, a MinIO server),
which carries what the volume and pod do not: operator, backup and licence overhead.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from infraforge.model.common import Strict

Money = Annotated[float, Field(ge=0, le=1_000_000)]
CapabilityName = Literal["database", "cache", "messaging", "objectStorage"]


class Prices(Strict):
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    vcpuMonth: Money = 0.0
    memoryGiBMonth: Money = 0.0
    storageGiBMonth: Money = 0.0
    capabilityInstanceMonth: dict[CapabilityName, Money] = {}
