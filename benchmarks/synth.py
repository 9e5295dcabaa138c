"""Generate a synthetic platform of N tenants for benchmarks (`python benchmarks/synth.py N DIR`).

Each tenant gets all three environments and 2-3 services; capabilities rotate so every one is
used by some tenants. The platform and overlays are the example's, so the rendered output is what
a real platform of that size would produce. `--bump I` rewrites only tenant I's service files
(new image tags): the one-tenant change of the incremental benchmark.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CAPABILITIES = ("database", "cache", "messaging", "objectStorage")


def tenant_name(index: int) -> str:
    return f"team-{index:05d}"


def tenant_doc(index: int) -> str:
    name = tenant_name(index)
    return (f"apiVersion: platform.infraforge.io/v1\nkind: Tenant\nmetadata:\n  name: {name}\n"
            f"spec:\n  displayName: Team {index}\n  description: Synthetic tenant {index}.\n"
            f"  owner:\n    group: {name}-owners\n  members: [user-{index}]\n"
            f"  costCenter: CC-{1000 + index % 9000:04d}\n"
            f"  environments: [dev, staging, prod]\n")


def request_docs(index: int) -> str:
    enabled = [c for i, c in enumerate(CAPABILITIES) if (index >> i) & 1]
    docs = []
    for env in ("dev", "staging", "prod"):
        caps = "".join(f"  {c}: {{enabled: true}}\n" for c in enabled)
        docs.append(f"apiVersion: platform.infraforge.io/v1\nkind: InfraForge\nmetadata:\n"
                    f"  name: {tenant_name(index)}-{env}\nspec:\n  tenant: {tenant_name(index)}\n"
                    f"  environment: {env}\n{caps}")
    return "---\n".join(docs)


def service_doc(index: int, service: int, tag: str) -> str:
    enabled = [c for i, c in enumerate(CAPABILITIES) if (index >> i) & 1]
    uses = f"  uses: [{', '.join(enabled)}]\n" if enabled and service == 0 else ""
    return (f"apiVersion: platform.infraforge.io/v1\nkind: Service\nmetadata:\n"
            f"  name: svc-{service}\nspec:\n  tenant: {tenant_name(index)}\n"
            f"  description: Synthetic service {service} of tenant {index}.\n"
            f"  image: registry.example/team-{index}/svc-{service}:{tag}\n  port: 8080\n{uses}"
            f"  env:\n    - name: LOG_LEVEL\n      value: info\n"
            f"  environments:\n    prod:\n      replicas: 3\n")


def write_tenant(root: Path, index: int, tag: str = "1.0.0") -> None:
    folder = root / "catalog" / "tenants" / tenant_name(index)
    (folder / "services").mkdir(parents=True, exist_ok=True)
    _write_if_changed(folder / "tenant.yaml", tenant_doc(index))
    _write_if_changed(folder / "requests.yaml", request_docs(index))
    for service in range(2 + index % 2):
        _write_if_changed(folder / "services" / f"svc-{service}.yaml",
                          service_doc(index, service, tag))


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def generate(root: Path, count: int) -> None:
    if (root / "catalog").exists():
        shutil.rmtree(root / "catalog")
    shutil.copytree(REPO / "overlays", root / "overlays", dirs_exist_ok=True)
    (root / "catalog").mkdir(parents=True)
    shutil.copy(REPO / "catalog" / "platform.yaml", root / "catalog" / "platform.yaml")
    for index in range(count):
        write_tenant(root, index)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("root", type=Path)
    parser.add_argument("--bump", type=int, metavar="I", help="change tenant I's image tags only")
    args = parser.parse_args()
    if args.bump is not None:
        write_tenant(args.root, args.bump, tag="1.0.1")
    else:
        generate(args.root, args.count)


if __name__ == "__main__":
    main()
