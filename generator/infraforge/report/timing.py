"""Per-stage wall-clock timings, printed with -v (load / validate / resolve / render / write)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infraforge.report.terminal import Console


class StageTimer:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def report(self, console: Console) -> None:
        if not self.enabled:
            return
        parts = [f"{name} {seconds * 1000:.0f} ms" for name, seconds in self.seconds.items()]
        total = sum(self.seconds.values())
        console.info(f"timings: {' / '.join(parts)} (total {total * 1000:.0f} ms)")
