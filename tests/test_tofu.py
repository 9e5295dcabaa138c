"""tofu/: the HCL is internally consistent, and the tfvars `infraforge render` writes for it agree
with the root module, with the product's environment table and with the rendered manifests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SHARED, write
from tofu_hcl import META_ARGUMENTS, Module, load_module, parse_type, type_problems, unquote

TOFU = REPO / "tofu"
MODULES = [TOFU, *sorted(p for p in (TOFU / "modules").iterdir() if p.is_dir())]
IRSA = "eks.amazonaws.com/role-arn"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project rendered once (the tests below only read it)."""
    from infraforge.cli import main

    project = tmp_path_factory.mktemp("tofu-project")
    for folder in ("catalog", "overlays"):
        shutil.copytree(REPO / folder, project / folder)
    assert main(["-C", str(project), "render"]) == 0
    return project


def tfvars(project: Path, env: str) -> dict:
    return json.loads((project / "tofu" / "environments" / f"{env}.tfvars.json").read_text())


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_uses_only_what_it_declares(path: Path) -> None:
    module = load_module(path)
    references = module.references()
    used_vars = {name for kind, name, _ in references if kind == "var"}
    assert used_vars <= set(module.variables), f"undeclared: {used_vars - set(module.variables)}"
    assert set(module.variables) <= used_vars, f"unused: {set(module.variables) - used_vars}"
    used_locals = {name for kind, name, _ in references if kind == "local"}
    assert used_locals <= module.locals, f"undefined locals: {used_locals - module.locals}"
    for name, body in module.variables.items():
        assert "type" in body and "description" in body, f"variable {name} needs a type"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_calls_match_the_called_modules(path: Path) -> None:
    module = load_module(path)
    for name, call in module.calls.items():
        child_path = (path / unquote(call["source"])).resolve()
        assert list(child_path.glob("*.tf")), f"module {name}: no .tf files at {child_path}"
        child = load_module(child_path)
        arguments = {key for key in call if not key.startswith("__")} - META_ARGUMENTS
        assert arguments <= set(child.variables), f"{name}: {arguments - set(child.variables)}"
        assert child.required_variables() <= arguments, f"{name}: missing inputs"
        outputs = {attr for kind, called, attr in module.references()
                   if kind == "module" and called == name and attr}
        assert outputs <= set(child.outputs), f"{name}: no outputs {outputs - set(child.outputs)}"


def test_root_pins_opentofu_and_the_aws_provider() -> None:
    terraform = load_module(TOFU).parsed["terraform"][0]
    assert unquote(terraform["required_version"]).startswith(">= 1.")
    aws = terraform["required_providers"][0]["aws"]
    assert unquote(aws["source"]) == "hashicorp/aws"
    assert re.fullmatch(r"~> 5\.\d+", unquote(aws["version"]))


def test_database_node_group_exists_only_with_database_nodes() -> None:
    groups = {unquote(name): body
              for block in load_module(TOFU / "modules" / "eks").parsed["resource"]
              for name, body in block.get('"aws_eks_node_group"', {}).items()}
    assert groups["database"]["count"] == "${var.database_nodes.count > 0 ? 1 : 0}"
    assert groups["database"]["taint"][0]["effect"] == '"NO_SCHEDULE"'
    assert "count" not in groups["general"] and "taint" not in groups["general"]


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_tfvars_set_every_root_variable_with_its_type(rendered: Path, env: str) -> None:
    root: Module = load_module(TOFU)
    values = tfvars(rendered, env)
    assert set(values) <= set(root.variables), set(values) - set(root.variables)
    assert root.required_variables() <= set(values), root.required_variables() - set(values)
    for name, value in values.items():
        assert value is not None, name
        assert not type_problems(value, parse_type(root.variables[name]["type"]), name)


def environment_table() -> dict[str, tuple[str, str]]:
    """PRODUCT.md's environment defaults: component → (dev, prod)."""
    text = (SHARED / "docs" / "PRODUCT.md").read_text()
    rows = re.findall(r"^\| ([^|]+?) \| ([^|]+?) \| ([^|]+?) \|$", text, re.MULTILINE)
    return {component: (dev, prod) for component, dev, prod in rows}


def node_group(text: str) -> dict:
    if text == "none":
        return {"count": 0}
    count, instance_type, capacity = re.fullmatch(r"(\d+) x (\S+)(?: \((\w+)\))?", text).groups()
    group = {"count": int(count), "instance_type": instance_type}
    return group | ({"capacity_type": capacity} if capacity else {})


def test_dev_and_prod_tfvars_follow_the_product_environment_table(rendered: Path) -> None:
    table = environment_table()
    for column, env in enumerate(("dev", "prod")):
        values = tfvars(rendered, env)
        for key, component in (("nodes", "EKS nodes"), ("database_nodes", "Database nodes")):
            expected = node_group(table[component][column])
            assert {k: values[key][k] for k in expected} == expected, (env, key)
        assert values["nat_gateways"] == int(table["NAT gateways"][column].split()[0])
        vault = table["Vault"][column].lower()
        assert values["vault"]["backend"] == vault.split()[0]
        assert (values["vault"]["kms_key_alias"] is not None) == ("auto-unseal" in vault)
    assert table["Vault"] == ("file backend", "Raft backend, auto-unseal")  # what was read


def annotated_roles(value: object) -> list[str]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == IRSA] + [
            arn for k, v in value.items() if k != IRSA for arn in annotated_roles(v)]
    if isinstance(value, list):
        return [arn for item in value for arn in annotated_roles(item)]
    return []


def strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [value] if isinstance(value, str) else []


def manifests(project: Path, env: str) -> list[dict]:
    return [doc for path in sorted((project / "rendered" / env).rglob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text()) if doc]


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_aws_names_equal_the_rendered_manifests(rendered: Path, env: str) -> None:
    values, documents = tfvars(rendered, env), manifests(rendered, env)
    arns = {arn for doc in documents for arn in annotated_roles(doc)}
    assert {arn.split(":")[4] for arn in arns} <= {values["aws_account_id"]}
    assert {arn.rsplit("/", 1)[1] for arn in arns} == set(values["irsa_roles"])
    for doc in documents:
        if doc["kind"] == "Cluster" and "backup" in doc["spec"]:
            store = doc["spec"]["backup"]["barmanObjectStore"]["destinationPath"]
            bucket, prefix = store.removeprefix("s3://").split("/", 1)
            annotations = doc["spec"]["serviceAccountTemplate"]["metadata"]["annotations"]
            role = values["irsa_roles"][annotations[IRSA].rsplit("/", 1)[1]]
            assert (bucket, prefix) == (values["backup_bucket"], role["s3_prefix"])
            assert (role["namespace"], role["service_account"]) == (
                doc["metadata"]["namespace"], doc["metadata"]["name"])
        if doc["kind"] == "Application" and doc["metadata"]["name"] == f"platform-velero-{env}":
            helm = doc["spec"]["sources"][0]["helm"]["valuesObject"]
            location = helm["configuration"]["backupStorageLocation"][0]
            assert location["bucket"] == values["backup_bucket"]
            assert location["prefix"] == values["irsa_roles"][f"infraforge-{env}-velero"]["s3_prefix"]
    keys = [key for text in strings(documents) for key in re.findall(r'kms_key_id = "(.+)"', text)]
    alias = values["vault"]["kms_key_alias"]
    assert keys == ([alias] if alias else [])  # Vault's seal stanza names the key tofu/ creates


def test_a_tenant_turning_backups_on_adds_its_role_in_dev(rendered: Path, tmp_path: Path,
                                                          run_cli) -> None:
    shutil.copytree(rendered / "catalog", tmp_path / "catalog")
    shutil.copytree(rendered / "overlays", tmp_path / "overlays")
    tenant = tmp_path / "catalog" / "tenants" / "payments" / "tenant.yaml"
    write(tenant, tenant.read_text().replace("\nspec:\n", "\nspec:\n  backup: {enabled: true}\n", 1))
    assert run_cli("-C", str(tmp_path), "render").code == 0
    roles = tfvars(tmp_path, "dev")["irsa_roles"]
    assert roles["pg-backup-payments-dev"]["s3_prefix"] == "postgres/dev/payments"
    assert roles["infraforge-dev-velero"]["s3_prefix"] == "velero/dev"  # Velero now runs in dev


def test_render_check_catches_a_hand_edited_tfvars_file(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    prod = project / "tofu" / "environments" / "prod.tfvars.json"
    prod.write_text(prod.read_text().replace('"count": 3', '"count": 30', 1))
    result = run_cli("-C", str(project), "render", "--check")
    assert result.code == 1
    assert "changed: tofu/environments/prod.tfvars.json" in result.out
    assert run_cli("-C", str(project), "render").code == 0
    assert '"count": 3,' in prod.read_text()
    assert run_cli("-C", str(project), "render", "--check").code == 0


def tofu_binary() -> str | None:
    local = REPO / ".tools" / "bin" / "tofu"
    return str(local) if os.access(local, os.X_OK) else shutil.which("tofu")


@pytest.mark.skipif(tofu_binary() is None, reason="OpenTofu (tofu) is not on PATH or in .tools/bin")
def test_tofu_fmt_finds_nothing_to_change() -> None:
    result = subprocess.run([tofu_binary(), "fmt", "-check", "-recursive", "-diff", str(TOFU)],
                            check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
