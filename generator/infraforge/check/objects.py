"""Rendered objects as the checks see them: the object plus where it sits in the rendered tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infraforge.errors import Position

SOURCE_ANNOTATION = "infraforge.io/source"


@dataclass(frozen=True)
class RenderedObject:
    """One YAML document of a rendered file.

    `file` is the path relative to the rendered root (e.g. `prod/payments/workloads/manifest.yaml`),
    `index` the document's position in that file (0-based) and `line` its first line (1-based).
    """

    file: str
    index: int
    line: int
    body: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", ""))

    @property
    def name(self) -> str:
        return str(self.body.get("metadata", {}).get("name", ""))

    @property
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
