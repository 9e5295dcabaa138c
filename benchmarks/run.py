"""`make bench`: the speed targets of the platform-scale issue, measured end to end.

Each figure is the wall time of a real `infraforge` process (best of --repeat runs) on a synthetic
catalog from benchmarks/synth.py, with its CPU time and peak RSS. Prints one line per target with
the ratio to its target (below 1.00 is within target). The machine is shared and noisy: compare
ratios from one run rather than absolute times across runs, and read the CPU time (user + system
of the process and its workers), which moves much less with the neighbours' load than the wall
time. `--root` puts the synthetic platforms on a chosen file system (a tmpfs takes the disk out
of the figures).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth

INFRAFORGE = [sys.executable, "-m", "infraforge"]


@dataclass(frozen=True)
class Measured:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its children (render workers)
    peak: float  # peak RSS of the process in MiB
    err: str  # its stderr


def run(args: list[str], cwd: Path | None = None) -> Measured:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Measured(wall, cpu, max(before.ru_maxrss, after.ru_maxrss) / 1024, done.stderr)


def render(root: Path, *extra: str) -> Measured:
    return run([*INFRAFORGE, "-C", str(root), *extra, "render"])


def output_state(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns
            for p in (root / "rendered").rglob("*") if p.is_file()}


def report(name: str, runs: list[Measured], target: float, extra: str = "") -> None:
    """The fastest run against the target, and the slowest beside it: on a machine whose speed
    drifts, how far apart the repeats are says how much the best one can be trusted."""
    best = fastest(runs)
    spread = f"(slowest of {len(runs)}: {max(r.wall for r in runs):.2f} s)" if len(runs) > 1 else ""
    print(f"{name:<44} {best.wall:7.2f} s   target {target:5.2f} s   ratio "
          f"{best.wall / target:5.2f}   CPU {best.cpu:6.2f} s  {extra} {spread}".rstrip())


def fastest(runs: list[Measured]) -> Measured:
    return min(runs, key=lambda measured: measured.wall)


def cold(root: Path, count: int) -> Measured:
    """A cold render in a folder of its own. Nothing is deleted before timing: on ext4, creating
    files right after deleting a large tree was measured 20-40x slower for tens of seconds, so
    an earlier run's cleanup would land in this run's figure."""
    synth.generate(root, count)
    os.sync()  # the setup's writes are flushed first: their writeback is not the render's cost
    return render(root)


def bench_scale(base: Path, count: int, repeat: int) -> None:
    roots = [base / f"n{count}-{attempt}" for attempt in range(repeat)]
    measured = {root: cold(root, count) for root in roots}
    root, best = min(measured.items(), key=lambda item: item[1].wall)
    objects = best.err.split("units, ")[-1].split(" objects")[0] if "units, " in best.err else "?"
    # the target is set at N=1000; other sizes are held to the same cost per tenant
    report(f"cold render N={count} ({objects} objects)", list(measured.values()),
           6.0 * count / 1000,
           f"peak RSS {best.peak:.0f} MiB (target 1024); {best.wall / count * 1000:.2f} s per "
           "1,000")
    if count == 1000:
        bench_incremental(root, repeat, best.wall)


def bench_incremental(root: Path, repeat: int, cold_wall: float) -> None:
    before = output_state(root)
    runs = [render(root) for _ in range(repeat)]
    written = sum(1 for p, m in output_state(root).items() if before.get(p) != m)
    report("re-render, nothing changed", runs, 1.0, f"files written: {written}")
    before = output_state(root)
    runs = []
    for attempt in range(repeat):  # a new image tag each time: every run has a real change
        synth.write_tenant(root, 7, tag=f"1.0.{attempt + 1}")
        runs.append(render(root))
    changed = sorted(p for p, m in output_state(root).items() if before.get(p) != m)
    others = [p for p in changed if synth.tenant_name(7) not in p and "argocd" not in p]
    report("one tenant's file changed", runs, 1.5,
           f"files written: {len(changed)}, of other tenants: {len(others)}")
    overlay = root / "overlays" / "prod.yaml"
    overlay.write_text(overlay.read_text().replace("pods: 100", "pods: 120"))
    measured = render(root)
    radius = [line for line in measured.err.splitlines() if "blast radius" in line]
    report("shared overlay changed (vs the cold render)", [measured], cold_wall,
           radius[0].strip()[:60] if radius else "")


def bench_version(repeat: int) -> None:
    report("infraforge --version", [run([*INFRAFORGE, "--version"])
                                     for _ in range(max(repeat, 5))], 0.2)


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
    parser.add_argument("--root", type=Path, default=None,
                        help="where to create the synthetic platforms (default: the temp dir); "
                        "e.g. a tmpfs to take the disk out of the figures")
    args = parser.parse_args()
    byte_compile()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; CPU = user + system "
          "seconds of the process and its workers (steadier than wall on a shared machine)")
    bench_version(args.repeat)
    with tempfile.TemporaryDirectory(dir=args.root) as tmp:  # removed once everything is timed
        for count in (int(n) for n in args.sizes.split(",")):
            bench_scale(Path(tmp), count, args.repeat)


if __name__ == "__main__":
    main()
