"""Workload hygiene: bounded resources, pinned images, own ServiceAccount, no node exposure."""

from __future__ import annotations

from collections.abc import Iterator

from infraforge.check.policies.podspec import as_dict, as_list
from infraforge.check.policies.registry import Finding, rule
from infraforge.check.policies.tree import PolicyTree

RESOURCE_KEYS = (("requests", "cpu"), ("requests", "memory"), ("limits", "cpu"),
                 ("limits", "memory"))
EXPOSED_SERVICE_TYPES = ("NodePort", "LoadBalancer")


@rule("POL-RESOURCES", "every container sets CPU and memory requests and limits",
      hint="set resources in the service or the tenant's workload defaults")
def resources(tree: PolicyTree) -> Iterator[Finding]:
    for container in tree.containers:
        if container.list_name == "ephemeralContainers":
            continue  # debug containers cannot carry resources
        values = as_dict(container.body.get("resources"))
        missing = [f"{kind}.{res}" for kind, res in RESOURCE_KEYS
                   if res not in as_dict(values.get(kind))]
        if missing:
            yield Finding(container.obj, f"{container.path}.resources lacks {', '.join(missing)}")


def image_tag(image: str) -> str | None:
    """The tag of an image reference, `None` when it has none (the port of a registry is no tag)."""
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else None


@rule("POL-IMAGE-TAG", "every image is pinned to a tag other than `latest`, or a digest",
      hint="reference an exact version such as registry.example/app:1.4.2 or @sha256:…")
def pinned_image(tree: PolicyTree) -> Iterator[Finding]:
    for container in tree.containers:
        image = container.body.get("image")
        if not isinstance(image, str) or not image:
            yield Finding(container.obj, f"{container.path} has no image")
        elif "@sha256:" not in image and image_tag(image.split("@")[0]) in (None, "", "latest"):
            yield Finding(container.obj, f"{container.path} image {image} is not pinned")


@rule("POL-SERVICE-ACCOUNT", "every pod runs under its own rendered ServiceAccount, with "
      "token automounting off", hint="the compiler renders one ServiceAccount per service with "
      "automountServiceAccountToken: false")
def service_account(tree: PolicyTree) -> Iterator[Finding]:
    accounts = {(o.namespace, o.name): o for o in tree.of_kind("ServiceAccount")}
    for pod in tree.pods:
        name = pod.spec.get("serviceAccountName") or pod.spec.get("serviceAccount")
        if not name or name == "default":
            yield Finding(pod.obj, f"{pod.path} runs under the namespace's default "
                          "ServiceAccount")
            continue
        account = accounts.get((pod.obj.namespace, name))
        if account is None:
            yield Finding(pod.obj, f"{pod.path} uses ServiceAccount {name}, which is not "
                          "rendered in its namespace")
        automount = pod.spec.get("automountServiceAccountToken")
        if automount is None and account is not None:
            automount = account.body.get("automountServiceAccountToken")
        if automount is not False:
            yield Finding(pod.obj, f"{pod.path} mounts the ServiceAccount token "
                          "(automountServiceAccountToken is not false)")


@rule("POL-EXPOSURE", "nothing is exposed on nodes or external IPs: no hostPort, NodePort, "
      "LoadBalancer or externalIPs", hint="expose services through the platform's ingress; "
      "a platform may approve an exception in spec.policies")
def exposure(tree: PolicyTree) -> Iterator[Finding]:
    for container in tree.containers:
        for port in as_list(container.body.get("ports")):
            if as_dict(port).get("hostPort"):
                yield Finding(container.obj, f"{container.path} binds hostPort "
                              f"{as_dict(port)['hostPort']}")
    for service in tree.of_kind("Service"):
        spec = as_dict(service.body.get("spec"))
        if spec.get("type") in EXPOSED_SERVICE_TYPES:
            yield Finding(service, f"spec.type is {spec['type']}")
        if as_list(spec.get("externalIPs")):
            yield Finding(service, "spec.externalIPs is set")
