"""The rendered tree's files, with the bytes of cached units read only when someone asks.

At 1,000 tenants the units' bytes are ~100 MB. A one-tenant change needs the bytes of three
units; for the others the writer only has to confirm the files on disk are still the ones it
wrote, which their sha256 (kept with each cached unit) settles without the bytes. So a cached
unit contributes its paths and digests, and its bytes are read from the cache on first access.
Bytes read back are checked against their digests; a unit whose bytes are missing or do not
match is rendered again (render_unit is pure), so a damaged cache costs time, never output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from infraforge.write.files import file_digest

Fetch = Callable[[str], tuple[tuple[str, bytes], ...]]  # unit key -> its files, fresh or cached


class RenderedFiles(Mapping[str, bytes]):
    """path → bytes for every rendered file, in sorted path order.

    `present` holds bytes in hand (units rendered this run, shared files); `deferred` maps the
    other paths to the key of the unit that renders them, and `fetch` produces a unit's files
    on demand; `digests` holds the sha256 of every unit's files, in hand or not.
    """

    def __init__(self, present: dict[str, bytes], deferred: dict[str, str],
                 digests: dict[str, str], fetch: Fetch):
        self._present = present
        self._deferred = deferred
        self._digests = digests
        self._fetch = fetch
        self._paths = sorted(present.keys() | deferred.keys())

    def __getitem__(self, path: str) -> bytes:
        content = self._present.get(path)
        if content is None:
            self._load(self._deferred[path])  # KeyError for a path that is not in the tree
            content = self._present[path]
        return content

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, path: object) -> bool:
        return path in self._present or path in self._deferred

    def including(self, files: Mapping[str, bytes]) -> RenderedFiles:
        """These files plus `files` (the shared ones, rendered after the units)."""
        return RenderedFiles({**self._present, **files}, self._deferred, self._digests,
                             self._fetch)

    def digest(self, path: str) -> str | None:
        """The sha256 of a unit's file (None for the shared files: only their bytes are known)."""
        return self._digests.get(path)

    def _load(self, unit: str) -> None:
        for path, content in self._fetch(unit):
            if path in self._deferred:
                self._present[path] = content


def digests_of(files: tuple[tuple[str, bytes], ...]) -> tuple[tuple[str, str], ...]:
    """Each file's digest as the writer records it, so the two can be compared."""
    return tuple((path, file_digest(content)) for path, content in files)


def matches(files: tuple[tuple[str, bytes], ...] | None,
            digests: tuple[tuple[str, str], ...]) -> bool:
    """True when `files` are exactly the files `digests` describe."""
    return files is not None and digests_of(files) == digests

