"""`cached_property` without functools' lock: a value computed on first read, then an attribute.

Python 3.11's functools.cached_property takes a lock on every first read. A 1,000-tenant render
makes ~10,000 first reads (each document's fingerprint, each unit's layers) and the lock was
most of their cost: 42 of 58 ms by cProfile in resolving units. Python 3.12 dropped the lock
for the same reason. What we cache is pure, so two threads computing it at once would only
compute it twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class cached_property(Generic[T]):
    def __init__(self, compute: Callable[[Any], T]):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        # a non-data descriptor: once the value is in the instance's __dict__, it is found there
        # and this is not called again (a frozen dataclass's __setattr__ is not involved)
        value = instance.__dict__[self.name] = self.compute(instance)
        return value
