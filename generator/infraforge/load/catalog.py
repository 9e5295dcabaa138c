"""Read the whole catalog: every file under catalog/ and overlays/, as positioned documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infraforge.errors import Collector
from infraforge.incremental.fingerprint import digest
from infraforge.incremental.store import Bucket
from infraforge.load.discover import SourceFile, discover
from infraforge.load.yaml_source import YamlDocument, read_yaml_documents

CATALOG_FOLDERS = ("catalog", "overlays")


@dataclass(frozen=True)
class RawCatalog:
    """Every document of the catalog, untyped, in file order; `files` keeps the bytes read."""

    documents: tuple[YamlDocument, ...]
    files: tuple[SourceFile, ...]


def load_catalog(project: Path, cache: Bucket | None = None) -> RawCatalog:
    """Stage 1. Raises CatalogError with every file-level problem at once.

    With a cache, a file whose bytes were parsed before is not parsed again: its documents'
    data come from the cache (keyed by the bytes' hash) and positions are found on demand.
    """
    problems = Collector()
    files, found = discover(project, CATALOG_FOLDERS)
    problems.extend(found)
    documents: list[YamlDocument] = []
    for source in files:
        docs, diagnostics = _read(source, cache)
        documents.extend(docs)
        problems.extend(diagnostics)
    problems.raise_if_errors()
    return RawCatalog(tuple(documents), tuple(files))


def _read(source: SourceFile, cache: Bucket | None) -> tuple[list[YamlDocument], list]:
    key = digest(source.raw) if cache is not None else ""
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        return [YamlDocument(data, source.display, index, source.raw)
                for index, data in enumerate(cached)], []
    docs, diagnostics = read_yaml_documents(source.raw, source.display)
    if cache is not None and not diagnostics:
        cache.put(key, [doc.data for doc in docs])
    return docs, diagnostics
