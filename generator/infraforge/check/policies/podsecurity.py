"""Pod Security `restricted`, checked field by field on every container of every workload.

The admission controller would reject most of these at sync time; checking them at render
time turns a failed sync in prod into a red pull request with the field path.
"""

from __future__ import annotations

from collections.abc import Iterator

from infraforge.check.policies.podspec import as_dict, as_list
from infraforge.check.policies.registry import Finding, rule
from infraforge.check.policies.tree import PolicyTree

ALLOWED_ADDED_CAPABILITIES = frozenset({"NET_BIND_SERVICE"})
ALLOWED_SECCOMP = ("RuntimeDefault", "Localhost")
HOST_NAMESPACES = ("hostNetwork", "hostPID", "hostIPC")
# The volume types Pod Security `restricted` allows.
ALLOWED_VOLUMES = frozenset({"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                             "persistentVolumeClaim", "projected", "secret"})


@rule("POL-PRIVILEGED", "no container runs privileged",
      hint="remove securityContext.privileged or set it to false")
def privileged(tree: PolicyTree) -> Iterator[Finding]:
    for container in tree.containers:
        if container.security.get("privileged") is True:
            yield Finding(container.obj, f"{container.path}.securityContext.privileged is true")


@rule("POL-PRIVILEGE-ESCALATION", "every container sets allowPrivilegeEscalation: false",
      hint="set securityContext.allowPrivilegeEscalation: false on each container")
def privilege_escalation(tree: PolicyTree) -> Iterator[Finding]:
    for container in tree.containers:
        if container.security.get("allowPrivilegeEscalation") is not False:
            yield Finding(container.obj, f"{container.path}.securityContext."
                          "allowPrivilegeEscalation is not false")


@rule("POL-RUN-AS-NON-ROOT", "every container runs as non-root with a non-zero UID and GID",
      hint="set runAsNonRoot: true and runAsUser/runAsGroup above 0 (pod or container level)")
def run_as_non_root(tree: PolicyTree) -> Iterator[Finding]:
    for container in tree.containers:
        if container.effective("runAsNonRoot") is not True:
            yield Finding(container.obj, f"{container.path} does not set runAsNonRoot: true")
        user = container.effective("runAsUser")
        if not isinstance(user, int) or isinstance(user, bool) or user <= 0:
            yield Finding(container.obj, f"{container.path} runAsUser is "
                          f"{'missing' if user is None else user}, must be a UID above 0")
        if container.effective("runAsGroup") == 0:
            yield Finding(container.obj, f"{container.path} runAsGroup is 0 (root group)")


@rule("POL-CAPABILITIES", "every container drops ALL capabilities and adds none but "
      "NET_BIND_SERVICE", hint="securityContext.capabilities: {drop: [ALL]}")
def capabilities(tree: PolicyTree) -> Iterator[Finding]:
    for container in tree.containers:
        caps = as_dict(container.security.get("capabilities"))
        if "ALL" not in as_list(caps.get("drop")):
            yield Finding(container.obj, f"{container.path} does not drop ALL capabilities")
        added = sorted(str(c) for c in as_list(caps.get("add"))
                       if c not in ALLOWED_ADDED_CAPABILITIES)
        if added:
            yield Finding(container.obj, f"{container.path} adds capabilities {', '.join(added)}")


@rule("POL-SECCOMP", "every container runs with the RuntimeDefault (or Localhost) seccomp "
      "profile", hint="set securityContext.seccompProfile.type: RuntimeDefault on the pod")
def seccomp(tree: PolicyTree) -> Iterator[Finding]:
    for container in tree.containers:
        profile = as_dict(container.effective("seccompProfile")).get("type")
        if profile not in ALLOWED_SECCOMP:
            yield Finding(container.obj, f"{container.path} seccomp profile is "
                          f"{profile or 'unset'}, not RuntimeDefault or Localhost")


@rule("POL-HOST-NAMESPACES", "no pod shares the node's network, PID or IPC namespace",
      hint="remove hostNetwork, hostPID and hostIPC")
def host_namespaces(tree: PolicyTree) -> Iterator[Finding]:
    for pod in tree.pods:
        for key in HOST_NAMESPACES:
            if pod.spec.get(key) is True:
                yield Finding(pod.obj, f"{pod.path}.{key} is true")


@rule("POL-VOLUME-TYPES", "pods use only the volume types Pod Security `restricted` allows "
      "(never hostPath)", hint="use emptyDir, configMap, secret, projected, csi, ephemeral or "
      "persistentVolumeClaim volumes")
def volume_types(tree: PolicyTree) -> Iterator[Finding]:
    for pod in tree.pods:
        for volume in as_list(pod.spec.get("volumes")):
            volume = as_dict(volume)
            kinds = sorted(set(volume) - {"name"} - ALLOWED_VOLUMES)
            if kinds:
                yield Finding(pod.obj, f"{pod.path}.volumes[{volume.get('name', '?')}] uses "
                              f"{', '.join(kinds)}")


@rule("POL-READONLY-ROOTFS", "every container has a read-only root filesystem",
      hint="set securityContext.readOnlyRootFilesystem: true and mount an emptyDir for scratch")
def readonly_root_filesystem(tree: PolicyTree) -> Iterator[Finding]:
    for container in tree.containers:
        if container.security.get("readOnlyRootFilesystem") is not True:
            yield Finding(container.obj, f"{container.path}.securityContext."
                          "readOnlyRootFilesystem is not true")
