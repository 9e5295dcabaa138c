"""Read the whole catalog: every file under catalog/ and overlays/, as positioned documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infraforge.errors import Collector, Diagnostic
from infraforge.incremental.fingerprint import digest
from infraforge.incremental.forked import ForkedCall
from infraforge.incremental.parallel import map_in_processes
from infraforge.incremental.store import Bucket
from infraforge.load.discover import CATALOG_FOLDERS, SourceFile, discover
from infraforge.load.fast_yaml import plain_documents
from infraforge.load.prefetch import CatalogPrefetch
from infraforge.load.yaml_source import YamlDocument, decode, read_yaml_documents

# Below this many files to parse, forking a child costs more than half the parsing saves.
SPLIT_PARSING_AT = 400


@dataclass(frozen=True)
class RawCatalog:
    """Every document of the catalog, untyped, in file order; `files` keeps the bytes read."""

    documents: tuple[YamlDocument, ...]
    files: tuple[SourceFile, ...]


def load_catalog(project: Path, cache: Bucket | None = None,
                 prefetch: CatalogPrefetch | None = None) -> RawCatalog:
    """Stage 1. Raises CatalogError with every file-level problem at once.

    With a cache, a file whose bytes were parsed before is not parsed again: its documents'
    data come from the cache (keyed by the bytes' hash). Either way positions are found on
    demand. `prefetch` may have read the files already.
    """
    problems = Collector()
    files = prefetch.result() if prefetch is not None else None
    if files is None:
        files, found = discover(project, CATALOG_FOLDERS)
        problems.extend(found)
    keys = [digest(source.raw) for source in files]  # the cache's keys, and the documents' digests
    parsed = [cache.get(key) if cache is not None else None for key in keys]
    checked = [data is not None for data in parsed]  # see YamlDocument.checked
    missing = [index for index, data in enumerate(parsed) if data is None]
    for index, data, diagnostics in _parse_files(files, missing):
        problems.extend(diagnostics)
        if not diagnostics:
            parsed[index] = data
    problems.raise_if_errors()
    if cache is not None:
        for key, data in zip(keys, parsed, strict=True):
            cache.put(key, data)
    documents = [YamlDocument(data, source.display, index, source.raw, known, key)
                 for source, datas, known, key in zip(files, parsed, checked, keys, strict=True)
                 for index, data in enumerate(datas)]
    return RawCatalog(tuple(documents), tuple(files))


def _parse_files(files: list[SourceFile], indexes: list[int],
                 ) -> list[tuple[int, list[Any], list[Diagnostic]]]:
    """Parse the files at `indexes` into (index, data, diagnostics); diagnostics in file order.

    The fast path takes the files it can prove the full reader would read the same, without a
    problem, in about 0.06 ms each. Only the files left to the full reader (about 0.35 ms each)
    are spread over worker processes, and only when there are hundreds (see map_in_processes).
    """
    results, slow = [], []
    for index, data in zip(indexes, _fast_parsed(files, indexes), strict=True):
        if data is None:
            slow.append(index)
        else:
            results.append((index, data, []))
    full = map_in_processes(_parse, [files[index] for index in slow])
    results.extend((index, data, diagnostics)
                   for index, (data, diagnostics) in zip(slow, full, strict=True))
    return results


def _fast_parsed(files: list[SourceFile], indexes: list[int]) -> list[list[Any] | None]:
    """The fast path's data of the files at `indexes` (None: it cannot prove that file).

    Many files (every one on a cold render: 4,500 at 1,000 tenants, 22,500 at 5,000) are split
    with one forked child, which sends back only data; a pool of workers cost more in pickling
    and start-up than it saved (measured). The child's half is parsed here if it fails.
    """
    if len(indexes) < SPLIT_PARSING_AT:
        return _all_fast_documents([files[index] for index in indexes])
    half = len(indexes) // 2
    theirs = [files[index] for index in indexes[:half]]
    child = ForkedCall(_all_fast_documents, theirs)
    mine = _all_fast_documents([files[index] for index in indexes[half:]])
    parsed = child.result_or(None)  # None: the child died or could not send
    return [*(_all_fast_documents(theirs) if parsed is None else parsed), *mine]


def _all_fast_documents(files: list[SourceFile]) -> list[list[Any] | None]:
    return [fast_documents(source) for source in files]


def fast_documents(source: SourceFile) -> list[Any] | None:
    """The file's documents' data by the fast path, or None when it cannot prove them."""
    text, problem = decode(source.raw, source.display)
    return None if problem else plain_documents(text)


def _parse(source: SourceFile) -> tuple[list[Any], list[Diagnostic]]:
    """The full reader; only data crosses back from a worker (positions are found on demand)."""
    documents, diagnostics = read_yaml_documents(source.raw, source.display)
    return [document.data for document in documents], diagnostics
