"""One real document per class, written for kubeconform, and its verdicts read back.

Each sample is the original text of a class's first document, unchanged, written into files of
our own (a private temporary folder). kubeconform names a document in its output only by file,
apiVersion, kind and name, so no file holds two samples with the same three: a sample goes to
the files of the n-th "level" when n samples with its identity came before it, and a level is
cut into files of about a megabyte so that kubeconform's batches can share them out.

Only invalid and error results are reported, so a class whose sample is not named is valid,
and so is every member. Any other verdict fails the class (all classes of a file, when a
result cannot be told apart), and the files of its members are checked as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infraforge.check.class_plan import Classes
from infraforge.check.findings import SchemaFinding
from infraforge.check.tree import TreeFile, TreeRoot

_FILE_CHARS = 1_000_000
Identity = tuple[str, str, str]


@dataclass(frozen=True)
class Samples:
    files: list[TreeFile]
    classes: dict[str, dict[Identity, int]]  # sample file (display) -> identity -> class


def identity(body: dict[str, Any]) -> Identity:
    """apiVersion, kind and name as kubeconform reports them (resource.SignatureFromMap)."""
    metadata = body.get("metadata")
    name = generated = ""
    if isinstance(metadata, dict):
        name = metadata.get("name") if isinstance(metadata.get("name"), str) else ""
        generated = metadata.get("generateName")
    if isinstance(generated, str):
        name = f"{generated}{{{{ generateName }}}}"
    return body["apiVersion"], body["kind"], name


def write_samples(classes: Classes, folder: Path) -> Samples:
    root = TreeRoot(str(folder), folder)
    texts: list[list[str]] = []
    sizes: list[int] = []
    owners: list[dict[Identity, int]] = []
    levels: dict[Identity, int] = {}
    open_file: dict[int, int] = {}  # level -> the file it fills now
    decoded: dict[int, str] = {}
    for number, (parsed, obj) in enumerate(classes.samples):
        who = identity(obj.body)
        level = levels[who] = levels.get(who, -1) + 1
        at = open_file.get(level)
        if at is None or sizes[at] >= _FILE_CHARS:
            at = open_file[level] = len(texts)
            texts.append([])
            sizes.append(0)
            owners.append({})
        text = decoded.get(id(parsed))
        if text is None:
            text = decoded[id(parsed)] = parsed.file.raw.decode("utf-8")
        start, end, _ = parsed.spans[obj.index]
        texts[at].append(("---" if start else "---\n") + text[start:end])
        sizes[at] += end - start
        owners[at][who] = number
    files = [_write(root, f"{at:05d}.yaml", "".join(parts)) for at, parts in enumerate(texts)]
    return Samples(files, {f.display: owned for f, owned in zip(files, owners, strict=True)})


def _write(root: TreeRoot, name: str, text: str) -> TreeFile:
    raw = text.encode("utf-8")
    (root.path / name).write_bytes(raw)
    return TreeFile(root, name, raw, "")


def failed_files(classes: Classes, samples: Samples, findings: list[SchemaFinding]) -> set[str]:
    """The files holding a member of any class whose sample kubeconform did not find valid."""
    failed: set[int] = set()
    for finding in findings:
        owned = samples.classes[finding.file]
        found = owned.get((finding.api_version, finding.kind, finding.name))
        failed.update(owned.values() if found is None else (found,))
    return set().union(*(classes.members[number] for number in failed))
