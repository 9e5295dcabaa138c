"""The monthly estimate per tenant × environment, read from the rendered tree.

Only documents of a costed kind are parsed (Deployments, HPAs, operator resources...), so an
estimate of a 50k-object tree parses a fraction of it, and the diff estimates only the files
that changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from infraforge.cost.objects import costed_object
from infraforge.cost.usage import Usage
from infraforge.diff.documents import YAML_SUFFIXES, locate, split_documents
from infraforge.model.prices import Prices

UnitKey = tuple[str, str]  # (environment, tenant); tenant "" for platform-owned directories


@dataclass(frozen=True)
class UnitCost:
    environment: str
    tenant: str
    usage: Usage
    compute: Fraction   # vCPU and memory requested
    storage: Fraction   # GiB claimed
    instances: Fraction  # capability instances

    @property
    def total(self) -> Fraction:
        return self.compute + self.storage + self.instances


@dataclass(frozen=True)
class CostEstimate:
    currency: str
    units: tuple[UnitCost, ...]

    @property
    def total(self) -> Fraction:
        return sum((unit.total for unit in self.units), Fraction(0))

    def by_unit(self) -> dict[UnitKey, UnitCost]:
        return {(u.environment, u.tenant): u for u in self.units}


def estimate(files: Mapping[str, bytes], prices: Prices,
             paths: Iterable[str] | None = None) -> CostEstimate:
    """The estimate of `files` (or only of `paths` among them)."""
    usage: dict[UnitKey, Usage] = {}
    for path in sorted(files if paths is None else set(paths) & files.keys()):
        if not path.endswith(YAML_SUFFIXES):
            continue
        found = file_usage(files[path])
        if found is not None:
            where = locate(path)
            key = (where.environment, where.tenant)
            usage[key] = usage.get(key, Usage()) + found
    return CostEstimate(prices.currency, tuple(
        price(env, tenant, used, prices) for (env, tenant), used in sorted(usage.items())))


def file_usage(data: bytes) -> Usage | None:
    """What the objects of one file occupy; None when it has no costed object."""
    found = [c for c in map(costed_object, split_documents(data)) if c is not None]
    if not found:
        return None
    floors = {c.scales: c.minimum for c in found if c.scales is not None}
    total = Usage()
    for item in found:
        if item.is_workload:
            replicas = item.replicas
            if replicas is None:  # left to an autoscaler, else Kubernetes' default of 1
                replicas = floors.get(item.identity, 1)
            total += item.usage.times(replicas)
        else:
            total += item.usage
    return total


def price(environment: str, tenant: str, usage: Usage, prices: Prices) -> UnitCost:
    rate = _exact
    compute = usage.cpu * rate(prices.vcpuMonth) + usage.memory * rate(prices.memoryGiBMonth)
    instances = sum((count * rate(prices.capabilityInstanceMonth.get(name, 0))
                     for name, count in usage.instances.items()), Fraction(0))
    return UnitCost(environment, tenant, usage, compute,
                    usage.storage * rate(prices.storageGiBMonth), instances)


def money(amount: Fraction) -> Decimal:
    """An exact amount rounded to cents, half up."""
    exact = Decimal(amount.numerator) / Decimal(amount.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _exact(value: float) -> Fraction:
    return Fraction(str(value))  # the decimal the price table wrote, not the binary float
