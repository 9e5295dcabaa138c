"""Object keys: one string per unit for the cache, compared for the duplicate-object safety net.

DUPLICATE-OBJECT cannot be reached from a valid catalog (RESERVED-NAME and the naming rules
stop every collision we know of first), so it is exercised here directly.
"""

from __future__ import annotations

import pytest

from infraforge.errors import CatalogError
from infraforge.render.objects import object_key, object_source
from infraforge.render.tree import check_unique_objects
from infraforge.render.unit import UnitOutput


def _object(kind: str, name: str, source: str, namespace: str = "shop-dev",
            api: str = "v1") -> dict:
    return {"apiVersion": api, "kind": kind, "metadata": {
        "name": name, "namespace": namespace,
        "annotations": {"infraforge.io/source": source}}}


def _output(*objects: dict) -> UnitOutput:
    return UnitOutput("shop/dev", (), "\n".join(map(object_key, objects)),
                      "\0".join(map(object_source, objects)))


def test_a_key_names_api_kind_namespace_and_name_and_nothing_else() -> None:
    item = _object("Service", "api", "catalog/tenants/shop/services/api.yaml")
    assert object_key(item) == "v1\0Service\0shop-dev\0api"
    assert object_source(item) == "catalog/tenants/shop/services/api.yaml"
    bare = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop-dev"}}
    assert (object_key(bare), object_source(bare)) == ("v1\0Namespace\0\0shop-dev", "")


def test_an_output_knows_which_kinds_it_renders_by_whole_fields() -> None:
    output = _output(_object("ScheduledBackup", "nightly", "a.yaml",
                             api="postgresql.cnpg.io/v1"), _object("Service", "api", "a.yaml"))
    assert output.renders("postgresql.cnpg.io/v1", "ScheduledBackup")
    assert output.renders("v1", "Service")
    assert not output.renders("postgresql.cnpg.io/v1", "Scheduled")
    assert not output.renders("cnpg.io/v1", "ScheduledBackup")
    assert not _output().renders("v1", "Service")


def test_the_same_object_twice_is_reported_with_its_source() -> None:
    first = _object("Service", "api", "catalog/tenants/shop/services/a.yaml")
    second = _object("Service", "api", "catalog/tenants/shop/services/b.yaml")
    other = _object("Service", "web", "catalog/tenants/shop/services/b.yaml")
    items = [first, second, other]
    with pytest.raises(CatalogError) as raised:
        check_unique_objects(list(map(object_key, items)), lambda: list(map(object_source, items)))
    [problem] = raised.value.diagnostics
    assert problem.rule == "DUPLICATE-OBJECT"
    assert problem.message == "v1/Service/shop-dev/api is rendered twice"
    assert problem.position.file == "catalog/tenants/shop/services/b.yaml"


def test_distinct_objects_pass() -> None:
    items = [_object("Service", "api", "a.yaml"),
             _object("Service", "api", "a.yaml", namespace="shop-prod"),
             _object("ServiceAccount", "api", "a.yaml")]
    check_unique_objects(list(map(object_key, items)), lambda: list(map(object_source, items)))
