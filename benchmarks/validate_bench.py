"""Benchmark `infraforge validate --no-render --tree` on a large rendered tree (not a test).

Renders a synthetic catalog with the real compiler (benchmarks/synth.py, about 100 documents per
tenant), then times real `infraforge validate` processes:
  cold      no cache: every file goes through kubeconform and our checks
  warm      nothing changed: every verdict comes from the index, nothing is parsed
  one-edit  one tenant's services changed and re-rendered: only its files are re-checked
Each phase runs --repeat times (cold: the cache removed each time; one-edit: a new image tag
each time) and prints the fastest and slowest wall time and the CPU time (user + system, the
validate process and kubeconform together). On a shared machine the wall times swing with
the neighbours' load (each line ends with the 1-minute load average after the phase); CPU time
is the steadier figure, and on 2 cores the wall time of a cold run cannot be below half of it.
Under each phase, what kubeconform was given in its last run (`validate -v`): on a large tree,
one sample per class of documents. Target (issue 3): cold < 15 s at ~50,000 documents on
2 cores; re-validating after a one-tenant change re-checks only what changed. Usage:
  python benchmarks/validate_bench.py [--tenants 500] [--root DIR] [--repeat 3]
                                      [--engine kubeconform|fast]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def infraforge(root: Path, *args: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the process and its children, the finished process)."""
    cpu, started = children_cpu(), time.perf_counter()
    done = subprocess.run([*INFRAFORGE, "-C", str(root), *args], capture_output=True, text=True,
                          check=False)
    return time.perf_counter() - started, children_cpu() - cpu, done


def validate(root: Path, engine: str) -> tuple[float, float, dict]:
    wall, cpu, done = infraforge(root, "-v", "validate", "--no-render", "--tree",
                                 str(root / "rendered"), "--engine", engine, "--format", "json")
    if done.returncode not in (0, 1):
        raise SystemExit(f"validate failed ({done.returncode}):\n{done.stderr}")
    report = json.loads(done.stdout)
    report["kubeconform"] = next((line for line in done.stderr.splitlines()
                                  if line.startswith("kubeconform:")), "")
    return wall, cpu, report


def line(label: str, runs: list[tuple[float, float, dict]]) -> str:
    walls, cpus = sorted(r[0] for r in runs), sorted(r[1] for r in runs)
    summary, seen = runs[-1][2]["summary"], runs[-1][2]["kubeconform"]
    return (f"{label:<9} {walls[0]:6.2f}-{walls[-1]:6.2f} s wall  {cpus[0]:6.2f}-{cpus[-1]:6.2f} "
            f"s CPU  {summary['documents']:>7} documents  {summary['files']:>6} files  "
            f"{summary['checkedFiles']:>6} checked  {summary['errors']:>4} errors  "
            f"load {os.getloadavg()[0]:.2f}" + (f"\n          {seen}" if seen else ""))


def render(root: Path) -> float:
    wall, _, done = infraforge(root, "render")
    if done.returncode != 0:
        raise SystemExit(f"render failed:\n{done.stderr}")
    return wall


def cold(root: Path, engine: str) -> tuple[float, float, dict]:
    shutil.rmtree(root / ".infraforge-cache" / "validate", ignore_errors=True)
    return validate(root, engine)


def one_edit(root: Path, tenants: int, engine: str, number: int) -> tuple[float, float, dict]:
    synth.write_tenant(root, tenants // 2, tag=f"1.0.{number + 1}")
    render(root)
    return validate(root, engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tenants", type=int, default=500)
    parser.add_argument("--root", type=Path, help="keep the synthetic project here")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each phase (default 3)")
    parser.add_argument("--engine", default="kubeconform", choices=("kubeconform", "fast"))
    args = parser.parse_args()
    tool_environment()
    root = args.root or Path(tempfile.mkdtemp(prefix="infraforge-validate-bench-"))
    synth.generate(root, args.tenants)
    print(f"render    {render(root):6.2f} s  ({args.tenants} tenants, {os.cpu_count()} cores, "
          f"engine {args.engine}, {args.repeat} runs a phase)")
    print(line("cold", [cold(root, args.engine) for _ in range(args.repeat)]))
    print(line("warm", [validate(root, args.engine) for _ in range(args.repeat)]))
    print(line("one-edit", [one_edit(root, args.tenants, args.engine, n)
                            for n in range(args.repeat)]))
    if args.root is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
