"""Read (and parse) the catalog in a forked child while the parent imports the compiler.

A render's first half-second is the parent importing the compiler (pydantic builds its models)
while the second core idles. Reading the catalog needs none of that, and neither does the fast
path's parsing of the files that changed since the last render (all of them on a cold render:
4,500 files, 0.4 s at 1,000 tenants). So a child (incremental/forked.py) does both meanwhile
and hands over bytes, stats and parsed data; the loader takes them as if it had read and parsed
them itself, with the same functions. Anything unusual (no fork, a problem the loader must
report, a child that fails) and the loader does it all itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infraforge.incremental.collector import paused_collector
from infraforge.incremental.forked import ForkedCall
from infraforge.load.discover import SourceFile, discover


@dataclass(frozen=True)
class Prefetched:
    files: list[SourceFile]
    parsed: dict[str, list[Any]] = field(default_factory=dict)  # display → documents' data


class CatalogPrefetch:
    """A child reading the catalog; `result()` waits for it, `close()` lets it go."""

    def __init__(self, call: ForkedCall):
        self.call = call

    @classmethod
    def start(cls, project: Path, folders: tuple[str, ...],
              known: Mapping[str, Any] | None = None) -> CatalogPrefetch | None:
        """`known`: each file's (size, mtime) when last compiled; other files are parsed.
        None when no child could be forked: the loader reads the files when it gets there."""
        call = ForkedCall(read_ahead, project, folders, known or {}, inline=False)
        return cls(call) if call.forked else None

    @property
    def pid(self) -> int | None:
        return self.call.pid

    def result(self) -> Prefetched | None:
        """What the child read and parsed; None: read the catalog yourself."""
        try:
            return self.call.result()
        except Exception:  # noqa: BLE001 - whatever it was, the loader meets it and reports it
            return None

    def close(self) -> None:
        self.call.close()


def read_ahead(project: Path, folders: tuple[str, ...],
               known: Mapping[str, Any]) -> Prefetched | None:
    """The catalog's files, and the fast path's data of those not as `known` (None when the
    loader has a problem to report: it reads the files itself for that)."""
    from infraforge.load.catalog import fast_documents  # the child's import, not the parent's

    with paused_collector():  # a short life of many small objects: collections only cost
        files, problems = discover(project, folders)
        if problems:
            return None
        return Prefetched(files, {
            f.display: data for f in files
            if tuple(known.get(f.display) or ()) != f.stat
            and (data := fast_documents(f)) is not None})
