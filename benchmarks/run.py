"""`make bench`: the speed targets of the platform-scale issue, measured end to end.

Each figure is the wall time of a real `infraforge` process (best of --repeat runs) on a synthetic
catalog from benchmarks/synth.py, with the peak RSS of the process. Prints one line per target
with the ratio to its target (below 1.00 is within target). The machine is shared and noisy:
compare ratios from one run rather than absolute times across runs.
"""

from __future__ import annotations

import argparse
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


def run(args: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB of the child, and its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return wall, peak, done.stderr


def render(root: Path, *extra: str) -> tuple[float, float, str]:
    return run([*INFRAFORGE, "-C", str(root), *extra, "render"])


def output_state(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns
            for p in (root / "rendered").rglob("*") if p.is_file()}


def report(name: str, seconds: float, target: float, extra: str = "") -> None:
    print(f"{name:<44} {seconds:7.2f} s   target {target:5.2f} s   ratio {seconds / target:5.2f}"
          f"  {extra}")


def cold(root: Path, count: int) -> tuple[float, float, str]:
    shutil.rmtree(root, ignore_errors=True)
    synth.generate(root, count)
    # the deletions and writes of the setup are flushed first: the disk's discard and
    # writeback of an earlier tree are not the render's cost
    os.sync()
    return render(root)


def bench_scale(count: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "platform"
        runs = [cold(root, count) for _ in range(repeat)]
        wall, peak, err = min(runs)
        objects = err.split("units, ")[-1].split(" objects")[0] if "units, " in err else "?"
        # the target is set at N=1000; other sizes are held to the same cost per tenant
        report(f"cold render N={count} ({objects} objects)", wall, 6.0 * count / 1000,
               f"peak RSS {peak:.0f} MiB (target 1024); {wall / count * 1000:.2f} s per 1,000")
        if count == 1000:
            bench_incremental(root, repeat, wall)


def bench_incremental(root: Path, repeat: int, cold_wall: float) -> None:
    before = output_state(root)
    wall = min(render(root)[0] for _ in range(repeat))
    written = sum(1 for p, m in output_state(root).items() if before.get(p) != m)
    report("re-render, nothing changed", wall, 1.0, f"files written: {written}")
    synth.write_tenant(root, 7, tag="1.0.1")
    before = output_state(root)
    wall = render(root)[0]
    changed = sorted(p for p, m in output_state(root).items() if before.get(p) != m)
    others = [p for p in changed if synth.tenant_name(7) not in p and "argocd" not in p]
    report("one tenant's file changed", wall, 1.5,
           f"files written: {len(changed)}, of other tenants: {len(others)}")
    overlay = root / "overlays" / "prod.yaml"
    overlay.write_text(overlay.read_text().replace("pods: 100", "pods: 120"))
    wall, _, err = render(root)
    radius = [line for line in err.splitlines() if "blast radius" in line]
    report("shared overlay changed (vs the cold render)", wall, cold_wall,
           radius[0].strip()[:60] if radius else "")


def bench_version(repeat: int) -> None:
    wall = min(run([*INFRAFORGE, "--version"])[0] for _ in range(max(repeat, 5)))
    report("infraforge --version", wall, 0.2)


def byte_compile() -> None:
    """Measure an installed InfraForge: `pip install` byte-compiles the package, but an editable
    install under PYTHONDONTWRITEBYTECODE=1 (as on our machines) recompiles every module on
    every run (~0.3 s, not the compiler's cost)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "generator")],
                   check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    byte_compile()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    bench_version(args.repeat)
    for count in (int(n) for n in args.sizes.split(",")):
        bench_scale(count, args.repeat)


if __name__ == "__main__":
    main()
