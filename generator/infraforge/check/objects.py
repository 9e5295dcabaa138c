"""Rendered objects as the checks see them: the object plus where it sits in the rendered tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from infraforge.errors import Position

SOURCE_ANNOTATION = "infraforge.io/source"


class derived:  # lower case: it is used like @property
    """A value computed from the body on first use and kept on the instance: functools'
    cached_property, without the lock Python 3.11 takes on every first access (a third of
    the cost at 200,000 accesses)."""

    def __init__(self, compute: Callable[[Any], Any]):
        self.compute, self.name = compute, compute.__name__

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.compute(obj)
        return value


@dataclass(frozen=True)
class RenderedObject:
    """One YAML document of a rendered file.

    `file` is the path relative to the rendered root (e.g. `prod/payments/workloads/manifest.yaml`),
    `index` the document's position in that file (0-based) and `line` its first line (1-based).
    The body is never changed once read, so what is derived from it is computed once: the
    checks ask for kinds, names and namespaces of 50,000 objects several times each.
    """

    file: str
    index: int
    line: int
    body: dict[str, Any]

    @derived
    def api_version(self) -> str:
        return str(self.body.get("apiVersion", ""))

    @derived
    def kind(self) -> str:
        return str(self.body.get("kind", ""))

    @derived
    def name(self) -> str:
        return str(self.body.get("metadata", {}).get("name", ""))

    @derived
    def namespace(self) -> str | None:
        return self.body.get("metadata", {}).get("namespace")

    @property
    def position(self) -> Position:
        return Position(self.file, self.line, 1)

    @property
    def source(self) -> str | None:
        """The catalog file this object was compiled from, when it says so."""
        return self.body.get("metadata", {}).get("annotations", {}).get(SOURCE_ANNOTATION)

    def describe(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name}"
