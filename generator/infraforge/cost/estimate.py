"""The monthly estimate per tenant × environment, read from the rendered tree.

Only documents of a costed kind are parsed (Deployments, HPAs, operator resources...), so an
estimate of a 50k-object tree parses a fraction of it, and the diff estimates only the files
that changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from infraforge.cost.usage import (
    AUTOSCALERS,
    COSTED_KINDS,
    OPERATOR_KINDS,
    WORKLOAD_KINDS,
    Usage,
    group_of,
    workload,
)
from infraforge.diff.documents import YAML_SUFFIXES, locate, parse_yaml, split_documents
from infraforge.model.prices import Prices

_KIND = re.compile(r"^kind: *([A-Za-z]+)\s*$", re.MULTILINE)
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
    bodies = [parse_yaml(text) for text in split_documents(data) if _costed(text)]
    if not bodies:
        return None
    min_replicas = {_target(body): _minimum(body) for body in bodies
                    if _kind(body) in AUTOSCALERS}
    total = Usage()
    for body in bodies:
        kind = _kind(body)
        if kind in WORKLOAD_KINDS:
            replicas = body["spec"].get("replicas")
            if replicas is None:
                replicas = min_replicas.get(_self(body), 1)
            total += workload(body, replicas)
        elif kind in OPERATOR_KINDS:
            total += OPERATOR_KINDS[kind](body)
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


def _costed(text: str) -> bool:
    found = _KIND.search(text)
    return found is not None and found.group(1) in COSTED_KINDS


def _kind(body: Any) -> tuple[str, str]:
    if not isinstance(body, dict):
        return "", ""
    return group_of(str(body.get("apiVersion", ""))), str(body.get("kind", ""))


def _self(body: dict[str, Any]) -> tuple[str, str, str]:
    meta = body.get("metadata") or {}
    return str(meta.get("namespace", "")), str(body.get("kind")), str(meta.get("name"))


def _minimum(autoscaler: dict[str, Any]) -> int:
    field, default = AUTOSCALERS[_kind(autoscaler)]
    value = (autoscaler.get("spec") or {}).get(field)
    return default if value is None else int(value)


def _target(body: dict[str, Any]) -> tuple[str, str, str]:
    ref = (body.get("spec") or {}).get("scaleTargetRef") or {}
    meta = body.get("metadata") or {}
    return (str(meta.get("namespace", "")), str(ref.get("kind") or "Deployment"),
            str(ref.get("name")))
