"""Read the whole catalog: every file under catalog/ and overlays/, as positioned documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infraforge.errors import Collector, Diagnostic
from infraforge.incremental.fingerprint import digest
from infraforge.incremental.parallel import map_in_processes
from infraforge.incremental.store import Bucket
from infraforge.load.discover import SourceFile, discover
from infraforge.load.fast_yaml import plain_documents
from infraforge.load.yaml_source import YamlDocument, decode, read_yaml_documents

CATALOG_FOLDERS = ("catalog", "overlays")


@dataclass(frozen=True)
class RawCatalog:
    """Every document of the catalog, untyped, in file order; `files` keeps the bytes read."""

    documents: tuple[YamlDocument, ...]
    files: tuple[SourceFile, ...]


def load_catalog(project: Path, cache: Bucket | None = None) -> RawCatalog:
    """Stage 1. Raises CatalogError with every file-level problem at once.

    With a cache, a file whose bytes were parsed before is not parsed again: its documents'
    data come from the cache (keyed by the bytes' hash). Files to parse are spread over worker
    processes when there are many. Either way positions are found on demand.
    """
    problems = Collector()
    files, found = discover(project, CATALOG_FOLDERS)
    problems.extend(found)
    keys = [digest(source.raw) for source in files] if cache is not None else [""] * len(files)
    parsed = [cache.get(key) if cache is not None else None for key in keys]
    missing = [index for index, data in enumerate(parsed) if data is None]
    for index, (data, diagnostics) in zip(
            missing, map_in_processes(_parse, [files[i] for i in missing]), strict=True):
        problems.extend(diagnostics)
        if not diagnostics:
            parsed[index] = data
            if cache is not None:
                cache.put(keys[index], data)
    problems.raise_if_errors()
    documents = [YamlDocument(data, source.display, index, source.raw)
                 for source, datas in zip(files, parsed, strict=True)
                 for index, data in enumerate(datas)]
    return RawCatalog(tuple(documents), tuple(files))


def _parse(source: SourceFile) -> tuple[list[Any], list[Diagnostic]]:
    """Parse one file; only data crosses back from a worker (positions are found on demand).

    The fast path takes the files it can prove the full reader would read the same, without a
    problem; the full reader reads the rest and says what is wrong with them.
    """
    text, problem = decode(source.raw, source.display)
    if problem is None:
        fast = plain_documents(text)
        if fast is not None:
            return fast, []
    documents, diagnostics = read_yaml_documents(source.raw, source.display)
    return [document.data for document in documents], diagnostics
