"""Offline plans in working copies: the user's folder untouched, cached, redacted."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from fdk_guard.errors import GuardError
from fdk_guard.terraform import OFFLINE_MESSAGE, PlanRequest, plan_many, plan_root
from fdk_guard.terraform import plan as tf_plan
from fdk_guard.terraform.binary import TerraformFailed
from tests.conftest import REFERENCE, run_cli

pytestmark = pytest.mark.slow
TINY_SECRET = "s3cr3t-Registry-Pa55"  # noqa: S105 - the tiny root's test value


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "dir"
        for p in sorted(folder.rglob("*"))
    }


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def test_plan_leaves_the_users_folder_untouched(gate_env: dict, tiny_root: Path, tmp_path):
    root = tmp_path / "tiny"
    shutil.copytree(tiny_root, root)
    before = _snapshot(root)
    result = plan_root(root, root / "tiny.tfvars", use_cache=False)
    assert _snapshot(root) == before  # no .terraform, lock file, state or override left
    assert result.offline and not result.cached
    # the offline override reached both provider configurations (it lived in the copy)
    providers = result.plan["configuration"]["provider_config"]
    for name in ("aws", "aws.us_east_1"):
        assert providers[name]["expressions"]["skip_credentials_validation"] == {
            "constant_value": True
        }
    types = sorted(r["type"] for r in result.plan["resource_changes"])
    assert "aws_secretsmanager_secret_version" in types and "aws_s3_bucket" in types
    assert TINY_SECRET not in json.dumps(result.plan)
    assert TINY_SECRET not in result.json_path.read_text()
    assert result.workdir_used is None  # the working copy (and its binary plan) is gone


def test_second_plan_is_cached_and_a_change_replans(gate_env: dict, tiny_root: Path, tmp_path):
    first = plan_root(tiny_root, tiny_root / "tiny.tfvars")
    again = plan_root(tiny_root, tiny_root / "tiny.tfvars")
    assert again.cached and again.json_path == first.json_path and again.plan == first.plan
    mutation = tmp_path / "retention_override.tf"
    mutation.write_text(
        'resource "aws_cloudwatch_log_group" "app" {\n  retention_in_days = 30\n}\n'
    )
    plain, mutated = plan_many(
        [
            PlanRequest(tiny_root, tiny_root / "tiny.tfvars"),
            PlanRequest(tiny_root, tiny_root / "tiny.tfvars", (mutation,)),
        ],
        workers=2,
    )
    assert plain.cached and mutated.json_path != plain.json_path

    def retention(plan: dict) -> int:
        groups = [r for r in plan["resource_changes"] if r["type"] == "aws_cloudwatch_log_group"]
        return groups[0]["change"]["after"]["retention_in_days"]

    assert (retention(plain.plan), retention(mutated.plan)) == (14, 30)
    assert not (tiny_root / mutation.name).exists()


def test_cli_plan_writes_reports_without_the_secret(gate_env: dict, tiny_root: Path) -> None:
    env = {**gate_env, "FDK_TF_DIR": str(tiny_root), "FDK_TF_VARS": str(tiny_root / "tiny.tfvars")}
    done = run_cli("plan", env=env)
    # The tiny root keeps few controls (no VPC, no ALB...): failing ones exit 1, not 2.
    assert done.returncode in (0, 1), done.stderr
    assert OFFLINE_MESSAGE in done.stdout
    assert re.search(r"planned \d+ resources of \d+ types: \d+ create", done.stdout)
    reports = Path(gate_env["FDK_REPORTS"])
    assert {"plan.json", "findings.json", "junit.xml", "findings.sarif", "summary.md"} <= {
        p.name for p in reports.iterdir()
    }
    assert "| aws_secretsmanager_secret_version | 1 |" in (reports / "summary.md").read_text()
    assert json.loads((reports / "plan.json").read_text())["resource_changes"]
    rows = json.loads((reports / "findings.json").read_text())
    assert rows and all(r["session"] == "plan" for r in rows)
    assert {"control", "status", "engine", "resource", "message"} <= set(rows[0])
    assert done.returncode == (1 if any(r["status"] == "fail" for r in rows) else 0)
    assert TINY_SECRET not in _all_text(reports)
    assert TINY_SECRET not in done.stdout + done.stderr


def test_lint_lists_unformatted_files(gate_env: dict, tiny_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "tiny"
    shutil.copytree(tiny_root, root)
    (root / "ugly.tf").write_text('locals {\n  a=1\n      b = "x"\n}\n')
    env = {**gate_env, "FDK_TF_DIR": str(root), "FDK_TF_VARS": str(root / "tiny.tfvars")}
    done = run_cli("lint", env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ugly.tf" in done.stdout and "main.tf" not in done.stdout.split("terraform fmt")[-1]
    assert not (root / ".terraform").exists()


@pytest.mark.skipif(not (REFERENCE / "examples").is_dir(), reason="reference/ not there yet")
@pytest.mark.parametrize("example", ["demo", "minimal"])
def test_reference_examples_plan_offline(gate_env: dict, example: str) -> None:
    tfvars = REFERENCE / "examples" / f"{example}.tfvars"
    result = plan_root(REFERENCE, tfvars)
    assert result.offline
    created = [r for r in result.plan["resource_changes"] if "create" in r["change"]["actions"]]
    types = {r["type"] for r in created}
    if example == "demo":
        assert len(created) >= 60
        assert "aws_cloudfront_distribution" in types
    else:
        assert created and not types & {"aws_cloudfront_distribution", "aws_instance"}
    secret = re.search(r'^docker_registry_password\s*=\s*"([^"]+)"', tfvars.read_text(), re.M)
    if secret:
        assert secret.group(1) not in result.json_path.read_text()


@pytest.mark.skipif(not (REFERENCE / "examples").is_dir(), reason="reference/ not there yet")
def test_reference_reports_never_hold_the_registry_password(gate_env: dict) -> None:
    tfvars = REFERENCE / "examples" / "demo.tfvars"
    found = re.search(r'^docker_registry_password\s*=\s*"([^"]+)"', tfvars.read_text(), re.M)
    assert found, "demo.tfvars sets docker_registry_password (issue 2)"
    env = {**gate_env, "FDK_TF_DIR": str(REFERENCE), "FDK_TF_VARS": str(tfvars)}
    done = run_cli("plan", env=env)
    assert done.returncode in (0, 1), done.stderr
    reports = Path(gate_env["FDK_REPORTS"])
    assert len(list(reports.iterdir())) >= 5
    assert found.group(1) not in _all_text(reports)
    assert found.group(1) not in done.stdout + done.stderr


def test_lint_fails_on_validate_errors(gate_env: dict, tiny_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "tiny"
    shutil.copytree(tiny_root, root)
    (root / "broken.tf").write_text('output "oops" {\n  value = var.not_declared\n}\n')
    before = _snapshot(root)
    env = {**gate_env, "FDK_TF_DIR": str(root), "FDK_TF_VARS": str(root / "tiny.tfvars")}
    done = run_cli("lint", env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "terraform validate: 1 error(s):" in done.stdout
    assert "broken.tf:2: Reference to undeclared input variable" in done.stdout
    assert _snapshot(root) == before


def test_lint_leaves_the_plan_cached_for_plan(gate_env: dict, tiny_root: Path, tmp_path) -> None:
    root = tmp_path / "tiny"
    shutil.copytree(tiny_root, root)
    # Inputs no earlier test planned, so the cache cannot already hold this plan.
    (root / "unique.tf").write_text(f'locals {{\n  run = "{tmp_path.name}"\n}}\n')
    env = {**gate_env, "FDK_TF_DIR": str(root), "FDK_TF_VARS": str(root / "tiny.tfvars")}
    done = run_cli("lint", env=env)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert "terraform validate: the configuration is valid" in done.stdout
    assert plan_root(root, root / "tiny.tfvars").cached


def test_the_plan_sessions_diagram_reads_the_configuration_cached_with_the_plan(
    gate_env: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reports evaluate the diagram with the files the plan was made from (kept with
    the plan, registry modules included), not by reading the root again."""
    from fdk_guard import cli, reports

    monkeypatch.setenv("FDK_TF_DIR", str(REFERENCE))
    monkeypatch.setenv("FDK_TF_VARS", str(REFERENCE / "examples" / "demo.tfvars"))
    read_again: list[Path] = []
    monkeypatch.setattr(reports, "collect_sources", lambda root: read_again.append(root) or {})
    assert cli.main(["plan"]) in (0, 1)
    assert "```mermaid" in (Path(gate_env["FDK_REPORTS"]) / "summary.md").read_text()
    assert read_again == []


LOCK = """# This file is maintained automatically by "terraform init".

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = ">= 5.0.0"
  hashes = [
    "h1:%s",
    "zh:0123456789abcdef",
  ]
}
"""


def test_init_still_checks_the_roots_lock_file(gate_env: dict, tiny_root: Path, tmp_path):
    """The working copy drops its lock checksums only after init checked them."""
    root = tmp_path / "tiny"
    shutil.copytree(tiny_root, root)
    (root / ".terraform.lock.hcl").write_text(LOCK % "AAAAwrongchecksumAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    before = _snapshot(root)
    with pytest.raises(TerraformFailed, match="checksums"):
        plan_root(root, root / "tiny.tfvars", use_cache=False)
    assert _snapshot(root) == before


def test_commands_after_init_do_not_hash_the_providers_again(
    gate_env: dict, tiny_root: Path, tmp_path
):
    locks: list[str] = []

    def after_init(copy_root: Path, env: dict) -> None:
        locks.append((copy_root / ".terraform.lock.hcl").read_text())

    plan_root(tiny_root, tiny_root / "tiny.tfvars", use_cache=False, on_init=after_init)
    assert len(locks) == 1 and 'version     = "' in locks[0]
    assert "hashes" not in locks[0] and "h1:" not in locks[0]
    assert not (tiny_root / ".terraform.lock.hcl").exists()


def test_only_the_checksums_leave_the_copys_lock_file(tmp_path: Path) -> None:
    (tmp_path / ".terraform.lock.hcl").write_text(
        LOCK % "x=" + LOCK.replace("aws", "random") % "y="
    )
    tf_plan._checked_once(tmp_path)
    kept = (tmp_path / ".terraform.lock.hcl").read_text()
    assert "hashes" not in kept and "h1:" not in kept and "zh:" not in kept
    assert kept.count('version     = "5.100.0"') == 2
    assert kept.count('constraints = ">= 5.0.0"') == 2
    assert kept.count("{") == kept.count("}") == 2
    tf_plan._checked_once(tmp_path / "missing")  # no lock file: nothing to do


def test_a_lock_file_that_cannot_be_rewritten_is_one_line(tmp_path: Path) -> None:
    (tmp_path / ".terraform.lock.hcl").mkdir()  # not a file: reading it fails
    with pytest.raises(GuardError, match="cannot rewrite the working copy's lock file"):
        tf_plan._checked_once(tmp_path)
