"""What validation needs from the Platform document when it does not compile the catalog
(`--no-render`, `--tree`): the pinned Kubernetes version and the policy settings."""

from __future__ import annotations

from pathlib import Path

from infraforge.errors import CatalogError
from infraforge.load.discover import discover
from infraforge.load.yaml_source import read_yaml_documents
from infraforge.model.kinds import Platform, PlatformSpec
from infraforge.validate.structure import parse_document


def load_platform_spec(project: Path) -> PlatformSpec | None:
    """The Platform's spec from catalog/, or None when the project has no catalog."""
    if not (project / "catalog").is_dir():
        return None
    files, problems = discover(project, ("catalog",))
    for source in files:
        documents, found = read_yaml_documents(source.raw, source.display)
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
