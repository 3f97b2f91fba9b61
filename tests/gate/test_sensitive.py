"""Every value a plan marks sensitive is blanked, and copies of it are scrubbed."""

from __future__ import annotations

import json

from fdk_guard.terraform import REDACTED, redact, scrub, secret_values, sensitive_paths
from fdk_guard.terraform.sensitive import declared_secrets

SECRET = "hunter2-registry-token"  # noqa: S105 - a test value


def _plan() -> dict:
    return {
        "variables": {"docker_registry_password": {"value": SECRET}, "name": {"value": "demo"}},
        "configuration": {
            "root_module": {
                "variables": {
                    "docker_registry_password": {"sensitive": True},
                    "name": {"default": "demo"},
                },
                "module_calls": {"svc": {"expressions": {"password": {"constant_value": SECRET}}}},
            }
        },
        "planned_values": {
            "outputs": {"ci_secret": {"sensitive": True, "value": "ci-secret-value"}},
            "root_module": {
                "child_modules": [
                    {
                        "resources": [
                            {
                                "address": "module.svc.aws_secretsmanager_secret_version.reg",
                                "values": {
                                    "secret_string": json.dumps({"password": SECRET}),
                                    "secret_binary": None,
                                    "tags": {"Name": "reg"},
                                },
                                "sensitive_values": {
                                    "secret_string": True,
                                    "secret_binary": True,
                                    "tags": {},
                                },
                            }
                        ]
                    }
                ]
            },
        },
        "resource_changes": [
            {
                "address": "aws_ecs_task_definition.app",
                "change": {
                    "before": None,
                    "after": {
                        "container_definitions": [{"name": "app", "token": SECRET}],
                        "family": "app",
                    },
                    "after_sensitive": {"container_definitions": [{"token": True}]},
                    "before_sensitive": False,
                },
            }
        ],
        "output_changes": {
            "ci_secret": {"after": "ci-secret-value", "after_sensitive": True, "before": None}
        },
    }


def test_sensitive_paths_cover_every_marking() -> None:
    paths = set(sensitive_paths(_plan()))
    assert ("variables", "docker_registry_password", "value") in paths
    assert ("planned_values", "outputs", "ci_secret", "value") in paths
    assert ("output_changes", "ci_secret", "after") in paths
    after = ("resource_changes", 0, "change", "after", "container_definitions", 0, "token")
    assert after in paths
    resource = ("planned_values", "root_module", "child_modules", 0, "resources", 0, "values")
    assert (*resource, "secret_string") in paths
    # A null is no secret; it stays null so a policy still sees the attribute is unset.
    assert (*resource, "secret_binary") not in paths
    assert ("variables", "name", "value") not in paths


def test_redact_leaves_no_copy_of_any_secret_and_keeps_the_rest() -> None:
    plan = _plan()
    out = redact(plan)
    text = json.dumps(out)
    assert SECRET not in text and "ci-secret-value" not in text
    assert out["variables"]["docker_registry_password"]["value"] == REDACTED
    # The literal in the configuration section is not marked, but is a copy: scrubbed.
    expressions = out["configuration"]["root_module"]["module_calls"]["svc"]["expressions"]
    assert expressions["password"]["constant_value"] == REDACTED
    after = out["resource_changes"][0]["change"]["after"]
    assert after["family"] == "app" and after["container_definitions"][0]["name"] == "app"
    assert out["variables"]["name"]["value"] == "demo"
    assert SECRET in json.dumps(plan), "redact must not change its argument"


def test_whole_value_marked_sensitive_is_blanked_once() -> None:
    change = {"after": {"a": {"b": "x-secret"}}, "after_sensitive": {"a": True}}
    out = redact({"resource_changes": [{"change": change}]})
    assert out["resource_changes"][0]["change"]["after"]["a"] == REDACTED


def test_scrub_blanks_secrets_in_free_text() -> None:
    secrets = secret_values(_plan())
    assert SECRET in secrets
    assert scrub(f"token {SECRET} leaked", secrets) == f"token {REDACTED} leaked"


def test_declared_secrets_come_from_tfvars_and_tf_var_env(tiny_root) -> None:
    tfvars = tiny_root / "tiny.tfvars"
    assert declared_secrets(tiny_root, tfvars, {}) == {"s3cr3t-Registry-Pa55"}
    env = {"TF_VAR_docker_registry_password": "from-the-env", "TF_VAR_name": "not-secret"}
    assert declared_secrets(tiny_root, None, env) == {"from-the-env"}


def test_cli_scrubs_findings_that_echo_a_secret(gate_env, tiny_root, tmp_path) -> None:
    from fdk_guard import cli, config
    from fdk_guard.findings import Finding

    settings = config.load(
        {
            "FDK_TF_DIR": str(tiny_root),
            "FDK_TF_VARS": str(tiny_root / "tiny.tfvars"),
            "FDK_REPORTS": str(tmp_path / "reports"),
        }
    )
    echo = Finding("FDK-ECS-04", "fail", "checkov", "aws_x.y", "password s3cr3t-Registry-Pa55")
    assert cli._finish([echo], "lint", settings) == 1
    for path in (tmp_path / "reports").iterdir():
        assert "s3cr3t-Registry-Pa55" not in path.read_text(), path.name
    assert REDACTED in (tmp_path / "reports" / "findings.json").read_text()
