"""The pinned schema set: every file of the offline store with its SHA-256 and where it came
from, so `infraforge schemas sync` can fetch exactly that set and prove it did.

`schema_lock.json` beside this module is generated from the offline store by
`infraforge schemas lock` (sources read from the store's SOURCES.md files).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

LOCK_FILE = Path(__file__).with_name("schema_lock.json")
LOCK_VERSION = 1
_CRDS_CATALOG = "datreeio/CRDs-catalog@7b1e26ef9deea49293714d204c1a2270aab1178f"
_KRATIX = "syntasso/kratix@ae170e22e974e45bb7cfda00986057e01b3ccfde"
_FOLDER_SOURCES = {
    "k8s/": "derived from PyPI kubernetes-validate 1.37.0 (Kubernetes v1.33.0 OpenAPI), see "
            "k8s/SOURCES.md",
    "backstage/": "@backstage/catalog-model 1.10.3 and @backstage/plugin-scaffolder-common "
                  "2.4.0 (npm), schemas as shipped",
}
_ROW = re.compile(r"^\| ([^ |]+\.json) \| \d+ \| ([^|]+?) \|(?: ([^|]+?) \|)?", re.MULTILINE)


def crd_sources(store: Path) -> dict[str, str]:
    """Per CRD file, its upstream origin as the store's crds/SOURCES.md records it."""
    sources = store / "crds" / "SOURCES.md"
    if not sources.is_file():
        return {}
    found = {}
    for match in _ROW.finditer(sources.read_text(encoding="utf-8")):
        path, second, third = match.group(1), match.group(2).strip(), (match.group(3) or "")
        if path.startswith("platform.kratix.io/"):
            found[f"crds/{path}"] = f"{_KRATIX} {second} (generated)"
        else:
            found[f"crds/{path}"] = f"{_CRDS_CATALOG} blob {second}; {third.strip()}"
    return found


def build_lock(store: Path) -> dict:
    sources = crd_sources(store)
    files = []
    for path in sorted(p for p in store.rglob("*") if p.is_file()):
        rel = path.relative_to(store).as_posix()
        folder = next((s for f, s in _FOLDER_SOURCES.items() if rel.startswith(f)), "")
        raw = path.read_bytes()
        files.append({"path": rel, "sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw),
                      "source": sources.get(rel) or folder or "store documentation"})
    return {"version": LOCK_VERSION, "files": files}


def read_lock(path: Path = LOCK_FILE) -> dict:
    lock = json.loads(path.read_text(encoding="utf-8"))
    if lock.get("version") != LOCK_VERSION:
        raise ValueError(f"{path}: lock version {lock.get('version')!r}, expected {LOCK_VERSION}")
    return lock


def write_lock(lock: dict, path: Path = LOCK_FILE) -> None:
    path.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
