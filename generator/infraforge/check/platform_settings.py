"""What validation needs from the Platform document when it does not compile the catalog
(`--no-render`, `--tree`): the pinned Kubernetes version and the policy settings."""

from __future__ import annotations

from pathlib import Path

from infraforge.errors import CatalogError
from infraforge.load.discover import YAML_SUFFIXES
from infraforge.load.yaml_source import read_yaml_documents
from infraforge.model.kinds import Platform, PlatformSpec
from infraforge.validate.structure import parse_document


def load_platform_spec(project: Path) -> PlatformSpec | None:
    """The Platform's spec from catalog/, or None when the project has no catalog.

    Only the files directly in catalog/ are read: the catalog's own rules keep the Platform
    there (never under catalog/tenants/), and a large catalog has thousands of tenant files.
    """
    folder = project / "catalog"
    if not folder.is_dir():
        return None
    problems: list = []
    for path in sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file()
                       and not p.is_symlink()):
        documents, found = read_yaml_documents(path.read_bytes(),
                                               path.relative_to(project).as_posix())
        for doc in documents:
            if isinstance(doc.data, dict) and doc.data.get("kind") == "Platform":
                model, found = parse_document(doc)
                if isinstance(model, Platform):
                    return model.spec
                raise CatalogError(found)
        problems += found
    if problems:
        raise CatalogError(problems)
    return None
