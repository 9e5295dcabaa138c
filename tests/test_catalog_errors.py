"""One bad fixture per catalog rule, asserting the exact file:line:col and exit code 1.

The good fixture for every rule is the example catalog itself (`test_example_catalog_is_clean`).
Each case writes one file into a copy of the example project.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write

SVC = "catalog/tenants/search/services/query.yaml"
TENANT = "catalog/tenants/search/tenant.yaml"
HEAD = "apiVersion: platform.infraforge.io/v1\nkind: Service\nmetadata:\n  name: query\n"
TENANT_HEAD = "apiVersion: platform.infraforge.io/v1\nkind: Tenant\nmetadata:\n  name: search\n"
SPEC = ("spec:\n  tenant: search\n  description: Answers search queries.\n"
        "  image: registry.acme.example/search/query:3.2.0\n  port: 8080\n")
TENANT_SPEC = ("spec:\n  owner: {group: search-team}\n  costCenter: CC-2210\n"
               "  environments: [dev, prod]\n")

CASES = [
    # rule, file, content, expected location prefix
    ("YAML-SYNTAX", SVC, HEAD + "spec: [1, 2\n", f"{SVC}:6:1"),
    ("YAML-DUPLICATE-KEY", SVC, HEAD + SPEC + "  port: 9090\n", f"{SVC}:10:3"),
    ("YAML-TAG", SVC, HEAD + SPEC.replace("  description: Answers search queries.\n", "")
     + "  description: !!python/object/apply:os.system [id]\n", f"{SVC}:9:16"),
    ("YAML-ALIAS", SVC, HEAD + "spec: &s {tenant: search}\nextra: *s\n", f"{SVC}:5:7"),
    ("YAML-TAG", SVC, HEAD + "base: &b {port: 1}\nspec:\n  <<: *b\n", f"{SVC}:7:3"),
    ("YAML-TAG", SVC, HEAD + SPEC + "  !python/name:os.system port2: 1\n", f"{SVC}:10:3"),
    ("YAML-KEY-TYPE", SVC, HEAD + SPEC + "  1: one\n", f"{SVC}:10:3"),
    ("YAML-DIRECTIVE", SVC, "%YAML 1.1\n---\n" + HEAD + SPEC, f"{SVC}:1:1"),
    ("YAML-ENCODING", SVC, (HEAD + SPEC).replace("Answers", "Answ\u202eers"), f"{SVC}:7:20"),
    ("YAML-TOO-DEEP", SVC, HEAD + "spec: " + "[" * 20000 + "]" * 20000 + "\n", f"{SVC}:1:1"),
    ("UNKNOWN-KIND", SVC, HEAD.replace("kind: Service", "kind: Servce") + SPEC, f"{SVC}:2:7"),
    ("UNKNOWN-KEY", SVC, HEAD + SPEC + "  replicaz: 3\n", f"{SVC}:10:3"),
    ("MISSING-KEY", SVC, HEAD + SPEC.replace("  port: 8080\n", ""), f"{SVC}:6:3"),
    ("WRONG-TYPE", SVC, HEAD + SPEC + "  replicas: three\n", f"{SVC}:10:13"),
    ("INVALID-VALUE", SVC, HEAD + SPEC + "  lifecycle: prod\n", f"{SVC}:10:14"),
    ("INVALID-VALUE", SVC, HEAD.replace("name: query", "name: Query_API") + SPEC, f"{SVC}:4:9"),
    ("UNKNOWN-REF", SVC, HEAD + SPEC.replace("tenant: search", "tenant: serch"), f"{SVC}:6:11"),
    ("TENANT-SCOPE", SVC, HEAD + SPEC.replace("tenant: search", "tenant: serch"), f"{SVC}:6:11"),
    ("TENANT-SCOPE", SVC, HEAD + SPEC.replace("tenant: search", "tenant: payments"),
     f"{SVC}:6:11"),
    ("UNKNOWN-REF", SVC, HEAD + SPEC + "  environments:\n    staging: {replicas: 2}\n",
     f"{SVC}:11:5"),
    ("DUPLICATE-NAME", "catalog/tenants/search/services/query-copy.yaml", HEAD + SPEC,
     f"{SVC}:4:9"),
    ("PLAINTEXT-SECRET", SVC, HEAD + SPEC + "  env:\n    - name: DB_PASSWORD\n"
     "      value: hunter2-very-secret\n", f"{SVC}:12:14"),
    ("PLAINTEXT-SECRET", SVC, HEAD + SPEC + "  env:\n    - name: UPSTREAM\n"
     "      value: https://bob:s3cr3tpw@upstream.example\n", f"{SVC}:12:14"),
    ("SERVICE-DESCRIBED", SVC, HEAD + SPEC.replace("  description: Answers search queries.\n", ""),
     f"{SVC}:6:3"),
    ("COST-CENTRE", TENANT, TENANT_HEAD + TENANT_SPEC.replace("CC-2210", "marketing"),
     f"{TENANT}:7:15"),
    ("INVALID-VALUE", TENANT, TENANT_HEAD + TENANT_SPEC.replace("[dev, prod]", "[dev, prd]"),
     f"{TENANT}:8:23"),
    ("NAMESPACE-COLLISION", "catalog/tenants/search-prod/tenant.yaml",
     TENANT_HEAD.replace("search", "search-prod") + TENANT_SPEC,
     "catalog/tenants/search-prod/tenant.yaml:4:9"),
    ("INVALID-NAME", "catalog/tenants/argocd/tenant.yaml",
     TENANT_HEAD.replace("search", "argocd") + TENANT_SPEC, "catalog/tenants/argocd/tenant.yaml:4:9"),
    ("INVALID-NAME", "catalog/tenants/platform-vault/tenant.yaml",
     TENANT_HEAD.replace("search", "platform-vault") + TENANT_SPEC,
     "catalog/tenants/platform-vault/tenant.yaml:4:9"),
    ("MISPLACED-DOCUMENT", "catalog/tenants/search/overlay.yaml",
     ("apiVersion: platform.infraforge.io/v1\nkind: EnvironmentOverlay\nmetadata: {name: qa}\n"
     "spec: {}\n"), "catalog/tenants/search/overlay.yaml:2:7"),
    ("GUARDRAIL-DELETED", TENANT, TENANT_HEAD + TENANT_SPEC + "  quota: {$patch: delete}\n",
     f"{TENANT}:9:10"),
    ("PLATFORM-COUNT", "catalog/platform-copy.yaml",
     ("apiVersion: platform.infraforge.io/v1\nkind: Platform\nmetadata: {name: other}\n"
     "spec:\n  gitops:\n    repoURL: https://git.example/x.git\n"
     "  environments:\n    - name: dev\n      cluster:\n        name: c\n"
     "        server: https://k\n"),
     "catalog/platform.yaml:3:1"),
]


@pytest.mark.parametrize(("rule", "path", "content", "location"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_bad_fixture_reports_rule_at_exact_position(project: Path, run_cli, rule: str, path: str,
                                                    content: str, location: str) -> None:
    write(project / path, content)
    result = run_cli("-C", str(project), "render")
    assert result.code == 1, result.err
    assert f"{location}: {rule}: " in result.err or (
        location.count(":") == 1 and f"{location}: {rule}" in result.err), result.err
    assert "Traceback" not in result.err
    assert not (project / "rendered").exists(), "nothing may be written for a bad catalog"


def test_example_catalog_is_clean(project: Path, run_cli) -> None:
    result = run_cli("-C", str(project), "render")
    assert result.code == 0, result.err


def test_every_problem_is_reported_at_once(project: Path, run_cli) -> None:
    write(project / SVC, HEAD + SPEC + "  replicaz: 3\n")
    write(project / TENANT, TENANT_HEAD + TENANT_SPEC.replace("CC-2210", "nope"))
    write(project / "catalog/tenants/payments/services/broken.yaml", "a: [\n")
    result = run_cli("-C", str(project), "render")
    assert result.code == 1
    assert "UNKNOWN-KEY" in result.err or "YAML-SYNTAX" in result.err
    # the syntax error stops typing, so the YAML problem shows first; fix it and see the rest
    (project / "catalog/tenants/payments/services/broken.yaml").unlink()
    result = run_cli("-C", str(project), "render")
    assert "UNKNOWN-KEY" in result.err and "COST-CENTRE" in result.err
    assert result.err.count("hint:") >= 2


def test_misspelt_key_gets_a_did_you_mean(project: Path, run_cli) -> None:
    write(project / SVC, HEAD + SPEC + "  replicaz: 3\n")
    result = run_cli("-C", str(project), "render")
    assert "did you mean 'replicas'?" in result.err


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("tenant: search", "tenant: serch", "did you mean 'search'?"),
    ("port: 8080", "port: 8080\n  lifecycle: prodution", "did you mean 'production'?"),
])
def test_misspelt_references_get_a_did_you_mean(project: Path, run_cli, old: str, new: str,
                                                expected: str) -> None:
    write(project / SVC, HEAD + SPEC.replace(old, new))
    assert expected in run_cli("-C", str(project), "render").err


def test_misspelt_environment_gets_a_did_you_mean(project: Path, run_cli) -> None:
    write(project / TENANT, TENANT_HEAD + TENANT_SPEC.replace("[dev, prod]", "[dev, prd]"))
    assert "did you mean 'prod'?" in run_cli("-C", str(project), "render").err


def test_secret_value_is_never_echoed(project: Path, run_cli) -> None:
    secret = "AKIAIOSFODNN7EXAMPLE"
    write(project / SVC, HEAD + SPEC + f"  env:\n    - name: AWS_KEY_ID\n      value: {secret}\n")
    result = run_cli("-C", str(project), "render")
    assert result.code == 1 and "PLAINTEXT-SECRET" in result.err
    assert secret not in result.err + result.out


@pytest.mark.parametrize("pasted", ["ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                                    "AKIAIOSFODNN7EXAMPLE"])
def test_a_credential_in_a_field_that_rejects_it_is_not_echoed(project: Path, run_cli,
                                                               pasted: str) -> None:
    write(project / SVC, HEAD + SPEC.replace("registry.acme.example/search/query:3.2.0", pasted))
    result = run_cli("-C", str(project), "render")
    assert f"{SVC}:8:10: INVALID-VALUE: spec.image:" in result.err, result.err
    assert "value not shown: it looks like a credential" in result.err
    assert pasted[:8] not in result.err + result.out


def test_an_image_given_as_a_url_with_credentials_is_refused_unechoed(project: Path,
                                                                       run_cli) -> None:
    url = "https://deploy-bot:s3cr3t-t0ken@registry.acme.example/search/query:3.2.0"
    write(project / SVC, HEAD + SPEC.replace("registry.acme.example/search/query:3.2.0", url))
    result = run_cli("-C", str(project), "render")
    assert result.code == 1
    assert f"{SVC}:8:10: INVALID-VALUE: spec.image:" in result.err, result.err
    assert "s3cr3t" not in result.err + result.out


@pytest.mark.parametrize(("image", "accepted"), [
    ("localhost:5000/search/query_v2:3.2.0-rc.1", True),
    ("registry.acme.example/search/query:3.2.0@sha256:" + "4d" * 32, True),
    ("query", True),
    ("http://registry.acme.example/search/query", False),
    ("registry.acme.example//query:3.2.0", False),
    ("registry.acme.example/../query", False),
    ("registry.acme.example/search/query@sha256:short", False),
])
def test_image_references_follow_the_runtime_grammar(project: Path, run_cli, image: str,
                                                     accepted: bool) -> None:
    write(project / SVC, HEAD + SPEC.replace("registry.acme.example/search/query:3.2.0", image))
    result = run_cli("-C", str(project), "render")
    assert (result.code == 0) is accepted, result.err
    assert ("INVALID-VALUE: spec.image:" in result.err) is not accepted


def test_an_ordinary_rejected_value_is_shown(project: Path, run_cli) -> None:
    write(project / SVC, HEAD + SPEC.replace("registry.acme.example/search/query:3.2.0",
                                             "Registry/Query:Latest"))
    result = run_cli("-C", str(project), "render")
    assert "spec.image: not an image reference" in result.err
    assert "hint: write [registry[:port]/]repository[:tag][@digest]" in result.err
    assert "(got 'Registry/Query:Latest')" in result.err


def test_symlinked_catalog_file_is_refused(project: Path, run_cli, tmp_path: Path) -> None:
    outside = write(tmp_path / "outside.yaml", "secret: from-outside\n")
    (project / "catalog/tenants/search/services/linked.yaml").symlink_to(outside)
    result = run_cli("-C", str(project), "render")
    assert result.code == 1
    assert "catalog/tenants/search/services/linked.yaml: CATALOG-SYMLINK" in result.err
    assert "from-outside" not in result.err


def test_oversized_file_is_refused(project: Path, run_cli) -> None:
    write(project / SVC, HEAD + SPEC + "  description: " + "x" * (1024 * 1024) + "\n")
    result = run_cli("-C", str(project), "render")
    assert result.code == 1 and f"{SVC}: YAML-TOO-LARGE" in result.err


def test_non_utf8_file_is_refused_with_line_and_column(project: Path, run_cli) -> None:
    (project / SVC).write_bytes((HEAD + SPEC).encode().replace(b"Answers", b"Answ\xe9rs"))
    result = run_cli("-C", str(project), "render")
    assert f"{SVC}:7:20: YAML-ENCODING" in result.err


def test_missing_catalog_folder_is_a_clean_error(tmp_path: Path, run_cli) -> None:
    result = run_cli("-C", str(tmp_path), "render")
    assert result.code == 1 and "catalog: CATALOG-MISSING" in result.err


def test_platform_rule_that_normalises_still_gets_its_defaults(project: Path, run_cli) -> None:
    """Rules without normalisation skip cerberus's normaliser for speed; one that asks for it
    must still get it: a default satisfies `required`, and an explicit value is still checked."""
    platform = project / "catalog" / "platform.yaml"
    rule = ("    - id: REPLICAS-SET\n      appliesTo: Service\n"
            "      description: replicas default to two\n      hint: run at least two\n"
            "      schema:\n        replicas:\n          required: true\n          default: 2\n"
            "          min: 2\n")
    platform.write_text(platform.read_text().replace("  rules:\n", "  rules:\n" + rule, 1))
    write(project / SVC, HEAD + SPEC)
    assert f"{SVC}:" not in run_cli("-C", str(project), "render", "--check").err
    write(project / SVC, HEAD + SPEC + "  replicas: 1\n")
    result = run_cli("-C", str(project), "render", "--check")
    assert result.code == 1, result.err
    assert f"{SVC}:10:13: REPLICAS-SET: spec.replicas: min value is 2" in result.err, result.err


def _add_rule(project: Path, rule: str) -> None:
    platform = project / "catalog" / "platform.yaml"
    platform.write_text(platform.read_text().replace("  rules:\n", "  rules:\n" + rule, 1))


def test_a_rule_whose_schema_cerberus_rejects_is_reported_at_the_schema(project: Path,
                                                                        run_cli) -> None:
    # after a clean render, so every document already passed the other rules
    assert run_cli("-C", str(project), "render").code == 0
    _add_rule(project, "    - id: TIER-KNOWN\n      appliesTo: Tenant\n"
              "      description: tiers\n      hint: none\n"
              "      schema:\n        tier:\n          type: no-such-type\n")
    result = run_cli("-C", str(project), "render")
    assert result.code == 1
    assert "catalog/platform.yaml:93:9: PLATFORM-RULE-INVALID: rule TIER-KNOWN" in result.err


def test_a_cached_run_still_applies_a_rule_added_since(project: Path, run_cli) -> None:
    assert run_cli("-C", str(project), "render").code == 0
    _add_rule(project, "    - id: TEAM-OWNED\n      appliesTo: Tenant\n"
              "      description: owners are teams\n      hint: name a -squad group\n"
              "      schema:\n        owner:\n          type: dict\n          schema:\n"
              "            group: {type: string, regex: '.*-squad'}\n")
    result = run_cli("-C", str(project), "render")
    assert result.code == 1
    assert ("catalog/tenants/search/tenant.yaml:9:12: TEAM-OWNED: spec.owner.group: value "
            "does not match regex" in result.err), result.err
