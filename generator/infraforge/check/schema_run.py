"""The schema engine's side of a validate run: which documents kubeconform sees, and when.

Small trees: kubeconform starts on every fresh file that may hold a Kubernetes object (known
from its bytes) before anything is parsed here, so its work overlaps all of ours; a file the
bytes misjudged is sent once parsed.

Large trees: the fresh files are parsed first and their documents grouped into classes that
kubeconform must judge alike (class_plan.py); it sees one real document per class plus the
files that cannot be classed, and then, only if a class's sample was not valid, the files of
its members as they are, so every finding is the one the whole-file run gives. At 50,437
documents that is about 3,100 samples instead of every document: kubeconform's ~26 CPU-s
become ~2.

Which pays depends on size: classes from CLASSES_FROM_BYTES of fresh files (see there).
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
from infraforge.check.class_plan import Classes, SchemaRoots, plan_classes
from infraforge.check.class_samples import Samples, failed_files, write_samples
from infraforge.check.documents import ParsedFile
from infraforge.check.findings import SchemaFinding
from infraforge.check.kubeconform import KubeconformRun, start_kubeconform
from infraforge.check.tree import TreeFile, may_hold_kubernetes

CLASSES_ENV = "INFRAFORGE_KUBECONFORM_CLASSES"
CLASSES_FROM_BYTES = 4 * 1024 * 1024  # provisional: to be set from measurements
Reader = Callable[[TreeFile], ParsedFile]


def use_classes(fresh: list[TreeFile]) -> bool:
    mode = os.environ.get(CLASSES_ENV, "auto").strip().lower()
    if mode in ("on", "off"):
        return mode == "on"
    return sum(len(f.raw) for f in fresh) >= CLASSES_FROM_BYTES


class KubeconformSide:
    """kubeconform's findings for the fresh files, whichever way they were reached."""

    def __init__(self, fresh: list[TreeFile], options: Any, read: Reader):
        self.fresh, self.options = fresh, options
        self.runs: list[KubeconformRun] = []
        self.sent: set[str] = set()
        self.classes: Classes | None = None
        self.samples: Samples | None = None
        self._folder: tempfile.TemporaryDirectory | None = None
        if use_classes(fresh):
            self._start_classes(read)
        else:
            self._start([f for f in fresh if may_hold_kubernetes(f.raw)])

    def _start(self, files: list[TreeFile]) -> None:
        if files:
            self.runs.append(start_kubeconform(self.options.kubeconform, files,
                                               self.options.store))
            self.sent.update(f.display for f in files)

    def _start_classes(self, read: Reader) -> None:
        self.classes = plan_classes([read(f) for f in self.fresh],
                                    SchemaRoots(self.options.store))
        self._folder = tempfile.TemporaryDirectory(prefix="infraforge-classes-")
        self.samples = write_samples(self.classes, Path(self._folder.name))
        self._start([p.file for p in self.classes.direct
                     if may_hold_kubernetes(p.file.raw) or holds_kubernetes(p)])
        self._start(self.samples.files)

    def start_missed(self, read: Reader) -> None:
        """Send the files whose bytes said "no Kubernetes object here" but whose parse did."""
        if self.classes is None:
            self._start([f for f in self.fresh if f.display not in self.sent
                         and holds_kubernetes(read(f))])

    def findings(self) -> tuple[list[SchemaFinding], str]:
        """Every finding about the fresh files, and a line saying what kubeconform saw."""
        found = [f for run in self.runs for f in run.findings()]
        if self.classes is None or self.samples is None:
            return found, f"kubeconform: {len(self.sent)} files checked as they are"
        try:
            sampled = self.samples.classes
            again = failed_files(self.classes, self.samples,
                                 [f for f in found if f.file in sampled])
            found = [f for f in found if f.file not in sampled]
            if again:
                found += start_kubeconform(self.options.kubeconform,
                                           [f for f in self.fresh if f.display in again],
                                           self.options.store).findings()
        finally:
            self._folder.cleanup()
        return found, (f"kubeconform: {len(self.classes.members)} classes sampled from "
                       f"{self.classes.documents} documents, {len(self.classes.direct)} files "
                       f"checked as they are, {len(again)} again after a sample failed")


def holds_kubernetes(parsed: ParsedFile) -> bool:
    return any(not is_entity(obj) for obj in parsed.objects)
