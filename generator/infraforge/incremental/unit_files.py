"""The rendered tree's files, with units' bytes read only when someone asks.

At 1,000 tenants the units' bytes are ~100 MB. A one-tenant change needs the bytes of three
units; for the others the writer only has to confirm the files on disk are still the ones it
wrote, which their sha256 (kept with each cached unit) settles without the bytes. So a cached
unit contributes its paths and digests, and its bytes are read from the cache on first access.
Bytes read back are checked against their digests; a unit whose bytes are missing or do not
match is rendered again (render_unit is pure), so a damaged cache costs time, never output.
Units rendered this run are parked in the spool (incremental/spool.py) and read from it on
each access, so no more than the files being written at the moment are in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from infraforge.incremental.spool import Span, Spool
from infraforge.write.files import file_digest

UnitFiles = tuple[tuple[str, bytes], ...]
Fetch = Callable[[str], UnitFiles]  # unit key -> its files, fresh or cached


class RenderedFiles(Mapping[str, bytes]):
    """path → bytes for every rendered file, in sorted path order.

    `present` holds bytes in hand (shared files, and units' files the spool could not take);
    `parked` maps the paths of units rendered this run to their bytes in `spool`; `deferred`
    maps cached units' paths to the unit's key, and `fetch` produces a unit's files on demand;
    `digests` holds the sha256 of every unit's files, in hand or not.
    """

    def __init__(self, present: dict[str, bytes], deferred: dict[str, str],
                 digests: dict[str, str], fetch: Fetch, parked: dict[str, Span] | None = None,
                 spool: Spool | None = None):
        self._present = present
        self._parked = parked or {}
        self._spool = spool
        self._deferred = deferred
        self._digests = digests
        self._fetch = fetch
        self._paths = sorted(present.keys() | self._parked.keys() | deferred.keys())

    def __getitem__(self, path: str) -> bytes:
        content = self._present.get(path)
        if content is not None:
            return content
        span = self._parked.get(path)
        if span is not None:
            return self._spool.read(span)  # type: ignore[union-attr]  # not kept: read per use
        self._load(self._deferred[path])  # KeyError for a path that is not in the tree
        return self._present[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, path: object) -> bool:
        return path in self._present or path in self._parked or path in self._deferred

    def including(self, files: Mapping[str, bytes]) -> RenderedFiles:
        """These files plus `files` (the shared ones, rendered after the units)."""
        return RenderedFiles({**self._present, **files}, self._deferred, self._digests,
                             self._fetch, self._parked, self._spool)

    def digest(self, path: str) -> str | None:
        """The sha256 of a unit's file (None for the shared files: only their bytes are known)."""
        return self._digests.get(path)

    def _load(self, unit: str) -> None:
        for path, content in self._fetch(unit):
            if path in self._deferred:
                self._present[path] = content


class ParkedUnit:
    """A unit's files in the spool, as the bytes cache stores them: pickled, it is the tuple of
    its files (read from the spool one unit at a time as the cache's shard is written), so the
    cache on disk and what it loads are exactly what they would be with the bytes in hand."""

    __slots__ = ("paths", "spans", "spool")

    def __init__(self, spool: Spool, paths: tuple[str, ...], spans: tuple[Span, ...]):
        self.spool, self.paths, self.spans = spool, paths, spans

    def files(self) -> UnitFiles:
        return tuple(zip(self.paths, map(self.spool.read, self.spans), strict=True))

    def __reduce__(self) -> tuple[type, tuple[UnitFiles]]:
        return tuple, (self.files(),)


def digests_of(files: UnitFiles) -> tuple[tuple[str, str], ...]:
    """Each file's digest as the writer records it, so the two can be compared."""
    return tuple((path, file_digest(content)) for path, content in files)


def matches(files: UnitFiles | None, digests: tuple[tuple[str, str], ...]) -> bool:
    """True when `files` are exactly the files `digests` describe."""
    return files is not None and digests_of(files) == digests
