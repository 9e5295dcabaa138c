"""kubeconform, the validator of record, run as a subprocess over the rendered files.

Always `-strict` (strict core schemas, duplicate keys rejected), `-output json -summary`, a
pinned `-kubernetes-version` and only our local schema locations: never `default`, which
downloads.

One process per two cores: a kubeconform process reads and splits its files on one goroutine
(which also decodes each document once for its kind: 37% of its CPU) and validates on `-n 2`
workers, so it keeps about two cores busy, and each extra process compiles every schema
again (about 1 s of CPU). On our 2-core machines one process used 13% less CPU than two at
52,688 documents (the figures swing with the machine's load; CPU is what the 2 cores share
with our own checks, which run meanwhile).

Go's collector is told to run less often (GOGC, unless the caller's environment sets it):
kubeconform allocates heavily while converting YAML to JSON, and at the default GOGC=100 a
fifth of its CPU went to collection. One process over 50,890 rendered resources, 2 cores,
mean CPU of 3-7 runs: GOGC=200 28.0 s (RSS 170 MB), 400 26.4 s (250 MB), 800 26.1 s
(430 MB), 1600 26.6 s (800 MB); GOGC=off was slower still (page faults, gigabytes). 400 is
as fast as any and keeps memory modest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from infraforge.check.findings import ERROR, INVALID, MISSING, FieldError, SchemaFinding
from infraforge.check.schema_store import SchemaStore
from infraforge.check.tree import TreeFile

BINARY_ENV = "INFRAFORGE_KUBECONFORM"
PROJECT_TOOL = Path(".tools/bin/kubeconform")
WORKERS = 2
_BATCH_BYTES = 4 * 1024 * 1024  # above this a tree is worth sharing out
_ARGS_CHARS = 500_000  # well under the kernel's limit for arguments and environment (2 MB)
GOGC = "400"
_MISSING = "could not find schema for "


class KubeconformError(Exception):
    """kubeconform could not run or said something we cannot read."""


def find_kubeconform(option: str | None, project: Path) -> Path | None:
    for candidate in (option, os.environ.get(BINARY_ENV), project / PROJECT_TOOL):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate).resolve()
    found = shutil.which("kubeconform")
    return Path(found) if found else None


@cache
def tool_identity(binary: Path) -> str:
    """Builds from `go install` all print version "development", so the bytes identify it."""
    return "kubeconform-sha256:" + hashlib.sha256(binary.read_bytes()).hexdigest()[:16]


# The builds whose reading of YAML and judging of strings the class key emulates (go_yaml.py,
# class_strings.py): Go embeds each module's version in the binary's build information.
EMULATED_BUILD = (b"mod\tgithub.com/yannh/kubeconform\tv0.7.0\t",
                  b"dep\tsigs.k8s.io/yaml\tv1.4.0\t",
                  b"dep\tgithub.com/santhosh-tekuri/jsonschema/v6\tv6.0.1\t")


@cache
def is_emulated_build(binary: Path) -> bool:
    """Whether `binary` is the kubeconform build the class key was written against; any other
    build gets every file as it is, which is right for every version."""
    try:
        content = binary.read_bytes()
    except OSError:
        return False
    return all(marker in content for marker in EMULATED_BUILD)


@dataclass(frozen=True)
class KubeconformRun:
    """Batches started in the background; `findings()` waits for them."""

    futures: tuple[Future, ...]
    executor: ThreadPoolExecutor

    def findings(self) -> list[SchemaFinding]:
        try:
            return [finding for future in self.futures for finding in future.result()]
        finally:
            self.executor.shutdown()


def processes() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 2) // 2)


def start_kubeconform(binary: Path, files: list[TreeFile], store: SchemaStore) -> KubeconformRun:
    """Start checking `files` (from any roots) in the background; findings() waits for them."""
    count = processes()
    executor = ThreadPoolExecutor(max_workers=count, thread_name_prefix="kubeconform")
    futures = [executor.submit(_run_batch, binary, batch, store)
               for batch in _batches(files, count)]
    return KubeconformRun(tuple(futures), executor)


Batch = dict[str, str]  # kubeconform argument (a path relative to the batch's cwd) -> display


def _batches(files: list[TreeFile], parallel: int) -> list[tuple[Path, Batch]]:
    """Runs of files short enough for one command line, in a multiple of `parallel` of about
    equal size once the tree is big enough to share out. Paths are given relative to the
    deepest folder holding every root, so one process serves all roots (each process compiles
    the schemas of the kinds it meets: another process for a three-file root costs more than
    it saves)."""
    roots = {f.root: f.root.path.resolve() for f in files}
    base = Path(os.path.commonpath([str(p) for p in roots.values()])) if roots else Path.cwd()
    folders = {root: os.path.relpath(path, base) for root, path in roots.items()}
    args = [os.path.normpath(os.path.join(folders[f.root], f.rel)) for f in files]
    total = sum(len(f.raw) for f in files)
    count = -(-sum(len(a) + 1 for a in args) // _ARGS_CHARS)
    if total > _BATCH_BYTES:
        count = -(-max(count, parallel) // parallel) * parallel
    per_batch = total / max(count, 1)
    batches: list[Batch] = []
    size = chars = 0
    for file, arg in zip(files, args, strict=True):
        if not batches or size >= per_batch or chars + len(arg) >= _ARGS_CHARS:
            batches.append({})
            size = chars = 0
        batches[-1][arg] = file.display
        size, chars = size + len(file.raw), chars + len(arg) + 1
    return [(base, batch) for batch in batches]


def command(binary: Path, store: SchemaStore, paths: list[str]) -> list[str]:
    locations = [arg for location in store.locations for arg in ("-schema-location", location)]
    return [str(binary), "-strict", "-output", "json", "-summary", "-n", str(WORKERS),
            "-kubernetes-version", store.k8s_version, *locations, "--", *paths]


def environment() -> dict[str, str]:
    """The caller's environment, with our GOGC unless the caller chose one."""
    return {**os.environ, "GOGC": os.environ.get("GOGC", GOGC)}


def _run_batch(binary: Path, batch: tuple[Path, Batch], store: SchemaStore) -> list[SchemaFinding]:
    cwd, by_arg = batch
    done = subprocess.run(command(binary, store, list(by_arg)), cwd=cwd, env=environment(),
                          capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise KubeconformError(_first_line(done.stderr or done.stdout))
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise KubeconformError(_first_line(done.stderr or done.stdout)) from None
    return [_finding(item, by_arg) for item in report.get("resources", [])
            if item.get("status") in ("statusInvalid", "statusError")]


def _finding(item: dict, by_arg: dict[str, str]) -> SchemaFinding:
    message = " ".join(str(item.get("msg", "")).split())
    status = INVALID if item["status"] == "statusInvalid" else ERROR
    if status == ERROR and message.startswith(_MISSING):
        status = MISSING
    errors = tuple(FieldError(e.get("path", ""), e.get("msg", ""))
                   for e in item.get("validationErrors") or ())
    filename = item.get("filename", "")
    return SchemaFinding(by_arg.get(filename, filename), status, message, item.get("kind", ""),
                         item.get("version", ""), item.get("name", ""), None, errors)


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["kubeconform failed without a message"])[0]
