"""The schema engine's side of a validate run: which documents kubeconform sees, and when.

Small trees: kubeconform starts on every fresh file that may hold a Kubernetes object (known
from its bytes) before anything is parsed here, so its work overlaps all of ours; a file the
bytes misjudged is sent once parsed.

Large trees: the fresh files are parsed first and their documents grouped into classes that
kubeconform must judge alike (class_plan.py); it sees one real document per class plus the
files that cannot be classed, and then, only if a class's sample was not valid, the files of
its members as they are, so every finding is the one the whole-file run gives. At 50,437
documents that is 104 samples instead of every document: kubeconform's ~26 CPU-s become
~2 (mostly compiling the schemas). The grouping (~1.5 s) and kubeconform run in a forked
child (incremental/forked.py) while this process runs our own checks and the policies on the
same parsed documents. At 50,437 documents, alternating cold runs (load 1.2-1.4): 8.8 and
9.3 s wall forked, 10.1 and 10.7 s with the grouping here and kubeconform still running beside
our checks; the fork costs 0.7-1.2 CPU-s more (pages copied as both sides touch the documents).

Which pays depends on size. The class path cannot start kubeconform before our reader has
parsed the files and the plan has read each kind's schema (~0.15 s, mostly the large CRD
files), and kubeconform's own time on a small tree is mostly compiling those schemas, which
samples do not shorten. Fresh `infraforge validate --no-render --no-cache` runs, alternating,
median of 10-12 on our shared 2-core machine (load 2-3): 55 KB (41 documents) 0.89 s with
classes, 0.78 s without; 122 KB (87) 1.38 / 1.23 and 1.15 / 0.94; 255 KB (155) 1.86 / 2.50
and 1.48 / 1.61; the example (0.75 MB, 447 documents, 155 classes then) 3.10 / 3.61, CPU 3.0 /
3.4 s. Classes pay from about 128 KB of fresh files.
INFRAFORGE_KUBECONFORM_CLASSES=on|off|auto (default auto) forces one way, e.g. for tests and to
compare both when debugging.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from infraforge.check.backstage import is_entity
from infraforge.check.class_plan import SchemaRoots, plan_classes
from infraforge.check.class_samples import failed_files, write_samples
from infraforge.check.documents import ParsedFile
from infraforge.check.findings import SchemaFinding
from infraforge.check.kubeconform import KubeconformRun, is_emulated_build, start_kubeconform
from infraforge.check.schema_store import SchemaStore
from infraforge.check.tree import TreeFile, may_hold_kubernetes
from infraforge.incremental.forked import ForkedCall

CLASSES_ENV = "INFRAFORGE_KUBECONFORM_CLASSES"
CLASSES_FROM_BYTES = 128 * 1024  # measured crossover: see the module doc
Reader = Callable[[TreeFile], ParsedFile]


def use_classes(fresh: list[TreeFile], binary: Path) -> bool:
    """Classes for large trees, and only with the kubeconform build they emulate."""
    mode = os.environ.get(CLASSES_ENV, "auto").strip().lower()
    if mode in ("on", "off"):
        return mode == "on"
    return sum(len(f.raw) for f in fresh) >= CLASSES_FROM_BYTES and is_emulated_build(binary)


class KubeconformSide:
    """kubeconform's findings for the fresh files, whichever way they were reached."""

    def __init__(self, fresh: list[TreeFile], options: Any, read: Reader):
        self.fresh, self.options = fresh, options
        self.runs: list[KubeconformRun] = []
        self.sent: set[str] = set()
        self.classed: ForkedCall | None = None
        if use_classes(fresh, options.kubeconform):
            # the class plan and kubeconform run in a child, beside our own checks
            self.classed = ForkedCall(classed_findings, [read(f) for f in fresh],
                                      options.store, options.kubeconform)
        else:
            self._start([f for f in fresh if may_hold_kubernetes(f.raw)])

    def _start(self, files: list[TreeFile]) -> None:
        if files:
            self.runs.append(start_kubeconform(self.options.kubeconform, files,
                                               self.options.store))
            self.sent.update(f.display for f in files)

    def start_missed(self, read: Reader) -> None:
        """Send the files whose bytes said "no Kubernetes object here" but whose parse did."""
        if self.classed is None:
            self._start([f for f in self.fresh if f.display not in self.sent
                         and holds_kubernetes(read(f))])

    def findings(self) -> tuple[list[SchemaFinding], str]:
        """Every finding about the fresh files, and a line saying what kubeconform saw."""
        if self.classed is not None:
            return self.classed.result()
        return ([f for run in self.runs for f in run.findings()],
                f"kubeconform: {len(self.sent)} files checked as they are")


def classed_findings(parsed: list[ParsedFile], store: SchemaStore,
                     binary: Path) -> tuple[list[SchemaFinding], str]:
    """kubeconform's findings from one sample per class, plus the files that cannot be
    classed; the files of a class whose sample was not valid are checked as they are."""
    classes = plan_classes(parsed, SchemaRoots(store))
    direct = [p.file for p in classes.direct
              if may_hold_kubernetes(p.file.raw) or holds_kubernetes(p)]
    with tempfile.TemporaryDirectory(prefix="infraforge-classes-") as folder:
        samples = write_samples(classes, Path(folder))
        found = start_kubeconform(binary, [*direct, *samples.files], store).findings()
    again = failed_files(classes, samples, [f for f in found if f.file in samples.classes])
    found = [f for f in found if f.file not in samples.classes]
    if again:
        found += start_kubeconform(binary, [p.file for p in parsed if p.file.display in again],
                                   store).findings()
    return found, (f"kubeconform: {len(classes.members)} classes sampled from "
                   f"{classes.documents} documents, {len(direct)} files checked as they are, "
                   f"{len(again)} again after a sample failed")


def holds_kubernetes(parsed: ParsedFile) -> bool:
    return any(not is_entity(obj) for obj in parsed.objects)
