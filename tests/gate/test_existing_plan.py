"""FDK_PLAN: the plan session judges a plan the user made; bad plan inputs exit 2 with one
line; the user's sensitive values are redacted before anything is written."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from fdk_guard.errors import GuardError
from fdk_guard.terraform import existing
from tests.conftest import run_cli

SECRET = "hunter2-registry-token"  # noqa: S105 - a test value that must never be written


def user_plan(**over) -> dict:
    """A small plan JSON as `terraform show -json` prints it, holding a sensitive value."""
    after = {"name": "fdk-registry", "secret_string": SECRET}
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "variables": {"registry_password": {"value": SECRET}},
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_secretsmanager_secret_version.registry",
                        "mode": "managed",
                        "type": "aws_secretsmanager_secret_version",
                        "name": "registry",
                        "values": after,
                        "sensitive_values": {"secret_string": True},
                    }
                ]
            }
        },
        "resource_changes": [
            {
                "address": "aws_secretsmanager_secret_version.registry",
                "mode": "managed",
                "type": "aws_secretsmanager_secret_version",
                "name": "registry",
                "change": {
                    "actions": ["update"],
                    "before": {**after, "secret_string": "old-" + SECRET},
                    "after": after,
                    "after_unknown": {},
                    "before_sensitive": {"secret_string": True},
                    "after_sensitive": {"secret_string": True},
                },
            }
        ],
        "configuration": {"root_module": {"variables": {"registry_password": {"sensitive": True}}}},
    }
    return {**plan, **over}


def test_a_plan_json_is_read_and_redacted(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(user_plan()))
    found = existing.load(path, tmp_path)
    assert found.kind == "plan JSON" and found.terraform_version == "1.11.4"
    assert SECRET not in json.dumps(found.plan)
    change = found.plan["resource_changes"][0]["change"]
    assert change["after"]["name"] == "fdk-registry"  # the rest is kept


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    def write(name: str, data: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        return path

    whole = json.dumps(user_plan())
    saved = _zip(tmp_path / "whole.tfplan", {"tfplan": b"x" * 4000, "tfconfig/m.tf": b""})
    return {
        "missing": (tmp_path / "nothing.tfplan", "plan file not found"),
        "truncated-json": (write("cut.json", whole[: len(whole) // 2]), "truncated?"),
        "a-state": (
            write("state.json", json.dumps({"format_version": "1.0", "values": {}})),
            "is a state, not a plan",
        ),
        "other-format": (
            write("v2.json", json.dumps(user_plan(format_version="2.0"))),
            "format_version 2.0",
        ),
        "errored": (write("err.json", json.dumps(user_plan(errored=True))), "errored"),
        "not-json": (write("notes.txt", "terraform plan output, not -json\n"), "neither"),
        "binary": (write("random.bin", bytes(range(256)) * 4), "neither"),
        "another-zip": (_zip(tmp_path / "other.zip", {"readme.txt": b"hi"}), "not a saved"),
        "truncated-saved-plan": (
            write("cut.tfplan", saved.read_bytes()[:1500]),
            "looks like a saved plan but cannot be read",
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "missing",
        "truncated-json",
        "a-state",
        "other-format",
        "errored",
        "not-json",
        "binary",
        "another-zip",
        "truncated-saved-plan",
    ],
)
def test_bad_plan_inputs_are_refused_with_one_line(
    gate_env: dict, tiny_root: Path, tmp_path: Path, name: str
) -> None:
    path, expected = _bad_inputs(tmp_path)[name]
    with pytest.raises(GuardError, match=expected.replace("?", r"\?")):
        existing.load(path, tiny_root)
    done = run_cli("plan", env={**gate_env, "FDK_TF_DIR": str(tiny_root), "FDK_PLAN": str(path)})
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert expected in line and "FDK_PLAN" in line


def test_a_saved_plan_terraform_cannot_read_is_exit_2(
    gate_env: dict, tiny_root: Path, tmp_path: Path
) -> None:
    """A zip with a `tfplan` member that is not a plan (another Terraform's, a damaged one):
    terraform show refuses it in the working copy, in one line."""
    path = _zip(tmp_path / "foreign.tfplan", {"tfplan": b"not a plan", "tfconfig/m.tf": b""})
    done = run_cli("plan", env={**gate_env, "FDK_TF_DIR": str(tiny_root), "FDK_PLAN": str(path)})
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "terraform show of foreign.tfplan failed" in line
    assert not list(tiny_root.glob(".terraform*"))  # the user's folder is never written


@pytest.mark.slow
def test_the_plan_session_judges_a_plan_json_without_leaking_it(
    gate_env: dict, tiny_root: Path, tmp_path: Path
) -> None:
    path = tmp_path / "user.json"
    path.write_text(json.dumps(user_plan()))
    reports = tmp_path / "reports"
    env = {**gate_env, "FDK_TF_DIR": str(tiny_root), "FDK_PLAN": str(path)}
    done = run_cli("plan", env={**env, "FDK_REPORTS": str(reports)})
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert f"judging the existing plan {path}" in done.stdout
    assert "planning" not in done.stdout  # the root was not planned again
    written = json.loads((reports / "plan.json").read_text())
    assert written["resource_changes"][0]["address"] == "aws_secretsmanager_secret_version.registry"
    for report in reports.iterdir():
        assert SECRET not in report.read_text(errors="replace"), report.name
    assert SECRET not in done.stdout + done.stderr
