"""Kubernetes resource quantities (`250m`, `1.5`, `256Mi`, `1G`, `1e3`) as exact fractions."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

_QUANTITY = re.compile(r"([+-]?[0-9]+(?:\.[0-9]*)?|[+-]?\.[0-9]+)(?:[eE]([+-]?[0-9]+))?"
                       r"(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?")
_SUFFIX = {
    None: Fraction(1), "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000),
    "k": Fraction(10**3), "M": Fraction(10**6), "G": Fraction(10**9), "T": Fraction(10**12),
    "P": Fraction(10**15), "E": Fraction(10**18),
    "Ki": Fraction(2**10), "Mi": Fraction(2**20), "Gi": Fraction(2**30), "Ti": Fraction(2**40),
    "Pi": Fraction(2**50), "Ei": Fraction(2**60),
}
GIB = Fraction(2**30)


class QuantityError(ValueError):
    pass


def quantity(value: Any) -> Fraction:
    """The quantity's value in base units (cores, bytes); a missing value is zero."""
    if value is None:
        return Fraction(0)
    if isinstance(value, bool):
        raise QuantityError(f"{value!r} is not a quantity")
    if isinstance(value, int | float):
        return Fraction(str(value))
    found = _QUANTITY.fullmatch(str(value).strip())
    if found is None:
        raise QuantityError(f"{value!r} is not a Kubernetes quantity")
    number, exponent, suffix = found.groups()
    result = Fraction(number) * _SUFFIX[suffix]
    return result * Fraction(10) ** int(exponent) if exponent else result


def cores(value: Any) -> Fraction:
    return quantity(value)


def gibibytes(value: Any) -> Fraction:
    return quantity(value) / GIB
