"""Where pods hide in workload kinds, and the effective security settings of each container."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from infraforge.check.objects import RenderedObject

# kind -> path from the object root to its PodSpec
POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


@dataclass(frozen=True)
class Pod:
    obj: RenderedObject
    spec: dict[str, Any]
    path: str  # dotted field path of the PodSpec, for messages
    labels: dict[str, Any]  # the pod template's labels (what selectors match)


@dataclass(frozen=True)
class Container:
    pod: Pod
    body: dict[str, Any]
    path: str
    list_name: str  # containers, initContainers or ephemeralContainers

    @property
    def obj(self) -> RenderedObject:
        return self.pod.obj

    @property
    def security(self) -> dict[str, Any]:
        return as_dict(self.body.get("securityContext"))

    def effective(self, key: str) -> Any:
        """A securityContext field as the kubelet sees it: the container's overrides the pod's."""
        if key in self.security:
            return self.security[key]
        return as_dict(self.pod.spec.get("securityContext")).get(key)


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def find_pods(objects: Iterable[RenderedObject]) -> Iterator[Pod]:
    for obj in objects:
        path = POD_SPEC_PATHS.get(obj.kind)
        if path is None:
            continue
        template = _walk(obj.body, path[:-1])
        spec = as_dict(template).get(path[-1])
        if isinstance(spec, dict):
            labels = as_dict(as_dict(as_dict(template).get("metadata")).get("labels"))
            yield Pod(obj, spec, ".".join(path), labels)


def _walk(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        node = as_dict(node).get(key)
    return node


def find_containers(pods: Iterable[Pod]) -> Iterator[Container]:
    for pod in pods:
        for field in CONTAINER_LISTS:
            for index, body in enumerate(as_list(pod.spec.get(field))):
                if isinstance(body, dict):
                    name = body.get("name", index)
                    yield Container(pod, body, f"{pod.path}.{field}[{name}]", field)
