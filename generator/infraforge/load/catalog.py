"""Read the whole catalog: every file under catalog/ and overlays/, as positioned documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infraforge.errors import Collector
from infraforge.load.discover import SourceFile, discover
from infraforge.load.yaml_source import YamlDocument, read_yaml_documents

CATALOG_FOLDERS = ("catalog", "overlays")


@dataclass(frozen=True)
class RawCatalog:
    """Every document of the catalog, untyped, in file order; `files` keeps the bytes read."""

    documents: tuple[YamlDocument, ...]
    files: tuple[SourceFile, ...]


def load_catalog(project: Path) -> RawCatalog:
    """Stage 1. Raises CatalogError with every file-level problem at once."""
    problems = Collector()
    files, found = discover(project, CATALOG_FOLDERS)
    problems.extend(found)
    documents: list[YamlDocument] = []
    for source in files:
        docs, diagnostics = read_yaml_documents(source.raw, source.display)
        documents.extend(docs)
        problems.extend(diagnostics)
    problems.raise_if_errors()
    return RawCatalog(tuple(documents), tuple(files))
