"""Turn `infraforge validate` arguments and the Platform into ValidateOptions."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from infraforge.check.cache import CACHE_DIR
from infraforge.check.engine import FAST, ValidateOptions
from infraforge.check.kubeconform import find_kubeconform
from infraforge.check.schema_store import DEFAULT_K8S_VERSION, SchemaStore, find_store
from infraforge.model.kinds import PlatformSpec

_VERSION = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")


class SetupError(Exception):
    """The options cannot work (bad version, missing tool)."""


def build_options(args: argparse.Namespace, project: Path,
                  platform: PlatformSpec | None) -> ValidateOptions:
    version = args.kubernetes_version or (platform.kubernetesVersion if platform else None) \
        or DEFAULT_K8S_VERSION
    if not _VERSION.fullmatch(version):
        raise SetupError(f"--kubernetes-version must be x.y.z (kubeconform's rule), got {version!r}")
    store = SchemaStore(find_store(args.schema_store, project), version,
                        tuple(args.schema_location))
    binary = None
    if args.engine != FAST:
        binary = find_kubeconform(args.kubeconform, project)
        if binary is None:
            raise SetupError("kubeconform not found: run `make tools` (installs the pinned "
                             "v0.7.0 into .tools/bin), set INFRAFORGE_KUBECONFORM, or use "
                             "--engine fast")
    return ValidateOptions(
        store=store, engine=args.engine, kubeconform=binary,
        allow_missing=frozenset(args.allow_missing_schema),
        cache_dir=None if args.no_cache else project / CACHE_DIR,
        policy_settings=dict(platform.policies) if platform else {},
        whole_tree=not args.tree)
