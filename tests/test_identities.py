"""Unit identities: packed for the cache, unpacked for the duplicate-object safety net.

DUPLICATE-OBJECT cannot be reached from a valid catalog (RESERVED-NAME and the naming rules
stop every collision we know of first), so it is exercised here directly.
"""

from __future__ import annotations

import pytest

from infraforge.errors import CatalogError
from infraforge.render.tree import check_unique_objects
from infraforge.render.unit import identity, pack_identities, unpack_identities


def _object(kind: str, name: str, source: str, namespace: str = "shop-dev") -> dict:
    return {"apiVersion": "v1", "kind": kind, "metadata": {
        "name": name, "namespace": namespace,
        "annotations": {"infraforge.io/source": source}}}


def test_packed_identities_unpack_to_the_same_tuples() -> None:
    objects = [_object("Service", "api", "catalog/tenants/shop/services/api.yaml"),
               _object("Namespace", "shop-dev", "catalog/tenants/shop/tenant.yaml", ""),
               {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "bare"}}]
    assert unpack_identities(pack_identities(objects)) == [identity(o) for o in objects]
    assert unpack_identities(pack_identities([])) == []


def test_a_damaged_pack_is_an_error_not_a_shifted_identity() -> None:
    packed = pack_identities([_object("Service", "api", "catalog/x.yaml")])
    with pytest.raises(ValueError):
        unpack_identities(packed + "\0extra")


def test_the_same_object_from_two_units_is_reported_with_its_source() -> None:
    first = pack_identities([_object("Service", "api", "catalog/tenants/shop/services/a.yaml")])
    second = pack_identities([_object("Service", "api", "catalog/tenants/shop/services/b.yaml"),
                              _object("Service", "web", "catalog/tenants/shop/services/b.yaml")])
    with pytest.raises(CatalogError) as raised:
        check_unique_objects(unpack_identities(f"{first}\0{second}"))
    [problem] = raised.value.diagnostics
    assert problem.rule == "DUPLICATE-OBJECT"
    assert problem.message == "v1/Service/shop-dev/api is rendered twice"
    assert problem.position.file == "catalog/tenants/shop/services/b.yaml"


def test_distinct_objects_pass() -> None:
    packed = pack_identities([_object("Service", "api", "a.yaml"),
                              _object("Service", "api", "a.yaml", namespace="shop-prod"),
                              _object("ServiceAccount", "api", "a.yaml")])
    check_unique_objects(unpack_identities(packed))
