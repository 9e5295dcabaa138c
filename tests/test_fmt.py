"""`infraforge fmt` through the CLI: canonical layout, comments kept, --check, safety."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, tree_bytes, write
from infraforge.fmt.comments import comments_of
from infraforge.load.yaml_source import read_yaml_documents

MESSY = """\
# A tenant written by hand. Every comment here must survive.
---
spec:   # the tenant's settings
  owner:
      group: shop-team      # from the identity provider
  costCenter: 'CC-1042'
  environments: [dev, prod]
  # quoted because YAML 1.1 readers would see a bool, a float and an octal number
  labels: {flag: 'on', version: '1.10', mode: '0777', short: y}
  members:
  - alice
  - bob   # joined in March
metadata:
  name: shop
kind: Tenant
apiVersion: platform.infraforge.io/v1
# trailing remark
"""

# Comments keep the column they were written at (ruamel's round trip), so aligned ones stay so.
CANONICAL = """\
# A tenant written by hand. Every comment here must survive.
apiVersion: platform.infraforge.io/v1
kind: Tenant
metadata:
  name: shop
spec:   # the tenant's settings
  owner:
    group: shop-team        # from the identity provider
  costCenter: CC-1042
  environments: [dev, prod]
  # quoted because YAML 1.1 readers would see a bool, a float and an octal number
  labels: {flag: "on", version: "1.10", mode: "0777", short: "y"}
  members:
    - alice
    - bob # joined in March
# trailing remark
"""


def test_example_catalog_is_already_formatted(run_cli) -> None:
    result = run_cli("-C", str(REPO), "fmt", "--check")
    assert (result.code, result.out) == (0, "")
    assert "already formatted" in result.err


def test_fmt_lays_out_canonically_and_keeps_every_comment(run_cli, project: Path) -> None:
    path = write(project / "catalog/tenants/shop/tenant.yaml", MESSY)
    result = run_cli("-C", str(project), "fmt")
    assert result.code == 0, result.err
    assert result.out == "catalog/tenants/shop/tenant.yaml\n"
    assert path.read_text() == CANONICAL
    assert comments_of(CANONICAL) == comments_of(MESSY)
    before, _ = read_yaml_documents(MESSY.encode(), "t.yaml")
    after, _ = read_yaml_documents(path.read_bytes(), "t.yaml")
    assert [d.data for d in after] == [d.data for d in before]


def test_fmt_is_idempotent_and_writes_only_what_changes(run_cli, project: Path) -> None:
    write(project / "overlays/extra.yaml", MESSY.replace("Tenant", "EnvironmentOverlay"))
    untouched = project / "overlays/dev.yaml"
    inode = untouched.stat().st_ino
    assert run_cli("-C", str(project), "fmt").code == 0
    first = tree_bytes(project)
    second = run_cli("-C", str(project), "fmt")
    assert (second.code, second.out) == (0, "")
    assert tree_bytes(project) == first
    assert untouched.stat().st_ino == inode  # never rewritten, not even with the same bytes
    assert not [p for p in project.rglob("*.tmp")]


def test_check_lists_unformatted_files_and_writes_nothing(run_cli, project: Path) -> None:
    write(project / "catalog/tenants/shop/tenant.yaml", MESSY)
    before = tree_bytes(project)
    result = run_cli("-C", str(project), "fmt", "--check")
    assert (result.code, result.out) == (1, "catalog/tenants/shop/tenant.yaml\n")
    assert tree_bytes(project) == before
    assert run_cli("-C", str(project), "fmt").code == 0
    assert run_cli("-C", str(project), "fmt", "--check").code == 0


def test_fmt_takes_paths_relative_to_the_project(run_cli, project: Path) -> None:
    tenant = write(project / "catalog/tenants/shop/tenant.yaml", MESSY)
    overlay = write(project / "overlays/extra.yaml", MESSY)
    result = run_cli("-C", str(project), "fmt", "overlays/extra.yaml")
    assert (result.code, result.out) == (0, "overlays/extra.yaml\n")
    assert overlay.read_text() == CANONICAL and tenant.read_text() == MESSY
    missing = run_cli("-C", str(project), "fmt", "overlays/nope.yaml")
    assert missing.code == 1 and "overlays/nope.yaml: FMT-NOT-FOUND" in missing.err


def test_bad_yaml_is_reported_and_nothing_is_written(run_cli, project: Path) -> None:
    write(project / "catalog/tenants/shop/tenant.yaml", MESSY)
    write(project / "overlays/broken.yaml", "spec:\n  a: 1\n  a: 2\n")
    write(project / "overlays/tagged.yaml", "spec: !!python/object/apply:os.system [echo]\n")
    before = tree_bytes(project)
    result = run_cli("-C", str(project), "fmt")
    assert result.code == 1
    assert "overlays/broken.yaml:3:3: YAML-DUPLICATE-KEY" in result.err
    assert "overlays/tagged.yaml:1:7: YAML-TAG" in result.err
    assert "Traceback" not in result.err
    assert tree_bytes(project) == before


def test_multi_document_files_keep_their_separators(run_cli, project: Path) -> None:
    path = project / "catalog/tenants/payments/requests.yaml"
    text = path.read_text()
    write(path, text.replace("  tenant: payments\n", "  tenant:   payments\n"))
    assert run_cli("-C", str(project), "fmt").code == 0
    assert path.read_text() == text
    assert text.count("\n---\n") == 2


def test_comment_lines_inside_block_scalars_are_text_and_headings_move_with_keys(
        run_cli, project: Path) -> None:
    path = write(project / "catalog/tenants/shop/services/api.yaml", """\
kind: Service
spec:
  script: |
    # part of the script, not a comment
    echo hi
  # heading for port
  port: 8080
metadata:
  # the labels
  labels: {a: b}
  # the name
  name: api
apiVersion: platform.infraforge.io/v1
""")
    assert run_cli("-C", str(project), "fmt", "catalog/tenants/shop").code == 0
    assert path.read_text() == """\
apiVersion: platform.infraforge.io/v1
kind: Service
metadata:
  # the name
  name: api
  # the labels
  labels: {a: b}
spec:
  script: |
    # part of the script, not a comment
    echo hi
  # heading for port
  port: 8080
"""


def test_a_file_that_would_lose_a_comment_is_left_alone_with_a_warning(
        run_cli, project: Path) -> None:
    # ruamel's round trip drops a comment inside a flow sequence
    text = "apiVersion: v1\nkind: K\nspec:\n  ports: [80,   # http\n    443]\n"
    path = write(project / "overlays/flow.yaml", text)
    other = write(project / "overlays/other.yaml", "kind: K\napiVersion: v1\n")
    result = run_cli("-C", str(project), "fmt")
    assert result.code == 0
    assert "overlays/flow.yaml: FMT-UNSAFE: formatting would drop the comment '# http'" \
        in result.err
    assert path.read_text() == text
    assert other.read_text() == "apiVersion: v1\nkind: K\n"
