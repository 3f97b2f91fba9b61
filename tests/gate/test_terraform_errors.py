"""A root or tfvars Terraform rejects: exit 2 and one line carrying Terraform's own first
error (file, line, what); a variable the root does not declare is reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fdk_guard.terraform import binary, inputs
from tests.conftest import PLUGIN_MIRROR, run_cli

# Service discovery pointed at a closed loopback port: the registry is unreachable, as on a
# machine without network, whatever the machine running the tests can reach.
NO_REGISTRY = """\
host "registry.terraform.io" {
  services = {
    "modules.v1"   = "http://127.0.0.1:9/v1/modules/"
    "providers.v1" = "http://127.0.0.1:9/v1/providers/"
  }
}
"""


def _error_line(done) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("fdk-guard: error: ") and "Traceback" not in done.stdout
    assert "│" not in lines[0] and "\x1b" not in lines[0]
    return lines[0]


def _root(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(text)
    return root


def _env(gate_env: dict, root: Path, tfvars: Path | str = "") -> dict:
    return {**gate_env, "FDK_TF_DIR": str(root), "FDK_TF_VARS": str(tfvars)}


@pytest.mark.parametrize("command", ["lint", "plan"])
def test_syntax_error_names_file_line_and_what(command, gate_env, tmp_path) -> None:
    root = _root(tmp_path, 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n')
    line = _error_line(run_cli(command, env=_env(gate_env, root)))
    assert 'main.tf line 1 (resource "aws_s3_bucket" "b")' in line
    assert "Unclosed configuration block" in line and "no closing brace" in line
    assert "encountered problems during initiali" not in line


def test_module_source_not_found_names_the_module(gate_env, tmp_path) -> None:
    root = _root(tmp_path, 'module "network" {\n  source = "./modules/nope"\n}\n')
    line = _error_line(run_cli("plan", env=_env(gate_env, root)))
    assert 'main.tf line 1 (module "network")' in line
    assert "Unreadable module directory" in line and "no such file or directory" in line


def test_registry_module_without_network_names_the_module(gate_env, tmp_path) -> None:
    root = _root(
        tmp_path,
        'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\n',
    )
    rc = tmp_path / "no-registry.tfrc"
    rc.write_text(NO_REGISTRY)
    env = {**_env(gate_env, root), "TF_CLI_CONFIG_FILE": str(rc)}
    line = _error_line(run_cli("plan", env=env))
    assert "terraform init failed: main.tf line 1" in line
    assert "Error accessing remote module registry" in line
    assert 'module "vpc"' in line and "connection refused" in line


@pytest.mark.skipif(not PLUGIN_MIRROR.is_dir(), reason="needs the provider mirror")
def test_provider_missing_from_the_mirror_is_named(gate_env, tmp_path) -> None:
    root = _root(
        tmp_path,
        'terraform {\n  required_providers {\n    random = { source = "hashicorp/random" }\n'
        '  }\n}\n\nresource "random_id" "x" {\n  byte_length = 4\n}\n',
    )
    env = {**_env(gate_env, root), "FDK_TF_PLUGIN_DIR": str(PLUGIN_MIRROR)}
    line = _error_line(run_cli("plan", env=env))
    assert "Failed to query available provider packages" in line
    assert "hashicorp/random" in line and str(PLUGIN_MIRROR) in line


@pytest.mark.slow
def test_data_source_the_emulator_cannot_answer_names_file_line_and_block(
    gate_env, tmp_path
) -> None:
    root = _root(
        tmp_path,
        'provider "aws" {\n  region = "eu-west-1"\n}\n\n'
        'data "aws_ssm_parameter" "db_host" {\n  name = "/prod/db/host"\n}\n\n'
        'output "db_host" {\n  value     = data.aws_ssm_parameter.db_host.value\n'
        "  sensitive = true\n}\n",
    )
    line = _error_line(run_cli("plan", env=_env(gate_env, root)))
    assert "terraform plan failed: main.tf line 5 (data.aws_ssm_parameter.db_host)" in line
    assert "reading SSM Parameter (/prod/db/host)" in line
    assert "give such values to the root as variables" in line


@pytest.mark.parametrize(("command", "lint_plan"), [("lint", "1"), ("lint", "0"), ("plan", "1")])
def test_malformed_tfvars_is_a_bad_input_in_every_session(
    command, lint_plan, gate_env, tiny_root, tmp_path
) -> None:
    """`fdk-guard lint` is also the pre-commit hook's entry: exit 2 stops the commit."""
    bad = tmp_path / "broken.tfvars"
    bad.write_text('name = "tiny"\ndocker_registry_password = \n')
    env = {**_env(gate_env, tiny_root, bad), "FDK_LINT_PLAN": lint_plan}
    line = _error_line(run_cli(command, env=env))
    assert f"{bad} line 2" in line and "Invalid expression" in line


def test_malformed_json_tfvars_is_a_bad_input(gate_env, tiny_root, tmp_path) -> None:
    bad = tmp_path / "broken.tfvars.json"
    bad.write_text('{"name": "tiny",}')
    line = _error_line(run_cli("lint", env=_env(gate_env, tiny_root, bad)))
    assert "broken.tfvars.json is not valid JSON" in line


def test_undeclared_variable_is_reported(gate_env, tiny_root, tmp_path) -> None:
    root = tmp_path / "tiny"
    shutil.copytree(tiny_root, root)
    typo = root / "typo.tfvars"
    typo.write_text('name = "tiny"\nregoin = "eu-west-2"\n')
    env = {**_env(gate_env, root, typo), "FDK_LINT_PLAN": "0"}
    done = run_cli("lint", env=env)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert f"warning: {typo} sets regoin, which {root} does not declare" in done.stdout


def test_variable_files_are_read_as_terraform_reads_them(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        '# variable "commented" {}\nvariable "name" {\n  type = string\n}\n'
        'variable "tags" {\n  type = map(string)\n}\n'
    )
    (tmp_path / "more.tf.json").write_text('{"variable": {"region": {"default": "x"}}}')
    tfvars = tmp_path / "x.tfvars"
    tfvars.write_text(
        '# commented = 1\nname = "a = b"\ntags = {\n  nested = "not a variable"\n}\n'
        'doc = <<-EOT\n  inner = 1\n  EOT\nregion="r"\nlist = [\n  { k = 1 },\n]\n'
    )
    (tmp_path / "terraform.tfvars").write_text("commented = 2\n")
    (tmp_path / "z.auto.tfvars.json").write_text('{"tags": {}, "colour": "blue"}')
    assert inputs.declared_variables(tmp_path) == {"name", "tags", "region"}
    assert inputs.names_set(tfvars) == ["name", "tags", "doc", "region", "list"]
    files = inputs.variable_files(tmp_path, tfvars)
    assert [p.name for p in files] == ["terraform.tfvars", "z.auto.tfvars.json", "x.tfvars"]
    assert inputs.undeclared(tmp_path, files) == {
        tmp_path / "terraform.tfvars": ["commented"],
        tmp_path / "z.auto.tfvars.json": ["colour"],
        tfvars: ["doc", "list"],
    }


def test_first_error_skips_the_umbrella_error_and_keeps_the_place_first() -> None:
    coloured = (
        "\x1b[31m╷\x1b[0m\n"
        "│ \x1b[1mError: \x1b[0mTerraform encountered problems during initialisation, "
        "including problems\n│ with the configuration, described below.\n╵\n"
        "╷\n│ Error: Unsupported argument\n│\n"
        '│   on modules/db/main.tf line 12, in resource "aws_db_instance" "this":\n'
        "│   12:   publicly_accesible = false\n│\n"
        '│ An argument named "publicly_accesible" is not expected here. Did you mean\n'
        '│ "publicly_accessible"?\n╵\n'
    )
    assert binary.first_error(coloured) == (
        'modules/db/main.tf line 12 (resource "aws_db_instance" "this"): '
        'Unsupported argument: An argument named "publicly_accesible" is not expected '
        'here. Did you mean "publicly_accessible"?'
    )


def test_first_error_names_the_block_and_clips_only_the_detail() -> None:
    text = (
        "Error: reading STS Caller Identity: operation error STS: GetCallerIdentity\n\n"
        "  with data.aws_caller_identity.current,\n"
        '  on main.tf line 3, in data "aws_caller_identity" "current":\n'
        '   3: data "aws_caller_identity" "current" {}\n\n' + "retrying " * 200 + "\n"
    )
    line = binary.first_error(text)
    assert line.startswith("main.tf line 3 (data.aws_caller_identity.current): reading STS")
    assert len(line) < binary.SUMMARY_LIMIT + binary.DETAIL_LIMIT + 100
    assert line.endswith("…")
