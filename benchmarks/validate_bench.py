"""Benchmark `infraforge validate --no-render --tree` on a large rendered tree (not a test).

Renders a synthetic catalog with the real compiler (benchmarks/synth.py, about 100 documents per
tenant), then times real `infraforge validate` processes:
  cold      no cache: every file goes through kubeconform and our checks
  warm      nothing changed: every file served from the cache (policies still run)
  one-edit  one tenant's services changed and re-rendered: only its files are re-checked
Target (issue 3): cold < 15 s at ~50,000 documents on 2 cores. Usage:
  python benchmarks/validate_bench.py [--tenants 500] [--root DIR] [--engine kubeconform|fast]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth

INFRAFORGE = [sys.executable, "-m", "infraforge"]
REPO = HERE.parent


def tool_environment() -> None:
    """The synthetic project lives elsewhere: point it at this checkout's store and tools."""
    store, tool = REPO.parent / "shared" / "schemas", REPO / ".tools" / "bin" / "kubeconform"
    if store.is_dir():
        os.environ.setdefault("INFRAFORGE_SCHEMA_STORE", str(store))
    if tool.is_file():
        os.environ.setdefault("INFRAFORGE_KUBECONFORM", str(tool))


def infraforge(root: Path, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run([*INFRAFORGE, "-C", str(root), *args], capture_output=True, text=True,
                          check=False)
    return time.perf_counter() - started, done


def validate(root: Path, engine: str) -> tuple[float, dict]:
    seconds, done = infraforge(root, "validate", "--no-render", "--tree", str(root / "rendered"),
                               "--engine", engine, "--format", "json")
    if done.returncode not in (0, 1):
        raise SystemExit(f"validate failed ({done.returncode}):\n{done.stderr}")
    return seconds, json.loads(done.stdout)


def line(label: str, seconds: float, report: dict) -> str:
    summary = report["summary"]
    return (f"{label:<9} {seconds:7.2f} s  {summary['documents']:>7} documents  "
            f"{summary['files']:>6} files  {summary['checkedFiles']:>6} checked  "
            f"{summary['errors']:>4} errors")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tenants", type=int, default=500)
    parser.add_argument("--root", type=Path, help="keep the synthetic project here")
    parser.add_argument("--engine", default="kubeconform", choices=("kubeconform", "fast"))
    args = parser.parse_args()
    tool_environment()
    root = args.root or Path(tempfile.mkdtemp(prefix="infraforge-validate-bench-"))
    synth.generate(root, args.tenants)
    seconds, done = infraforge(root, "render")
    if done.returncode != 0:
        raise SystemExit(f"render failed:\n{done.stderr}")
    print(f"render    {seconds:7.2f} s  ({args.tenants} tenants, {os.cpu_count()} cores, "
          f"engine {args.engine})")
    shutil.rmtree(root / ".infraforge-cache", ignore_errors=True)
    print(line("cold", *validate(root, args.engine)))
    print(line("warm", *validate(root, args.engine)))
    synth.write_tenant(root, args.tenants // 2, tag="1.0.1")
    infraforge(root, "render")
    print(line("one-edit", *validate(root, args.engine)))
    if args.root is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
