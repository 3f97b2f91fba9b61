"""Bad input or a missing tool: exit 2 with exactly one line on stderr, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli


def _one_line_error(done, *expected: str) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("fdk-guard: error: ")
    assert "Traceback" not in done.stdout + done.stderr
    for text in expected:
        assert text in lines[0]
    return lines[0]


@pytest.mark.parametrize("command", ["lint", "plan"])
def test_missing_root(command: str, gate_env: dict, tmp_path: Path) -> None:
    env = {**gate_env, "FDK_TF_DIR": str(tmp_path / "no-such-root")}
    _one_line_error(run_cli(command, env=env), "Terraform root not found", "no-such-root")


def test_missing_tfvars(gate_env: dict, tiny_root: Path, tmp_path: Path) -> None:
    env = {**gate_env, "FDK_TF_DIR": str(tiny_root), "FDK_TF_VARS": str(tmp_path / "gone.tfvars")}
    _one_line_error(run_cli("plan", env=env), "tfvars file not found", "gone.tfvars")


@pytest.mark.parametrize("command", ["lint", "plan"])
def test_missing_terraform_binary(command: str, gate_env: dict, tiny_root: Path, tmp_path) -> None:
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    env = {**gate_env, "FDK_TF_DIR": str(tiny_root), "PATH": str(empty_path)}
    line = _one_line_error(run_cli(command, env=env), "terraform not found on PATH")
    assert line.endswith("(need Terraform >= 1.10)")


def test_report_without_findings(gate_env: dict, tmp_path: Path) -> None:
    env = {**gate_env, "FDK_REPORTS": str(tmp_path / "empty")}
    _one_line_error(run_cli("report", env=env), "no findings to report")


def test_entry_point_is_importable_without_running() -> None:
    # `python -m fdk_guard.cli` is what the tests run; the console script points at main.
    from fdk_guard import cli

    assert callable(cli.main) and sys.modules["fdk_guard.cli"] is cli


def test_too_old_terraform(gate_env: dict, tiny_root: Path, tmp_path: Path) -> None:
    fake = tmp_path / "bin" / "terraform"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\necho \'{"terraform_version": "1.5.7"}\'\n')
    fake.chmod(0o755)
    env = {**gate_env, "FDK_TF_DIR": str(tiny_root), "PATH": f"{fake.parent}:/usr/bin:/bin"}
    _one_line_error(run_cli("plan", env=env), "terraform 1.5.7", "too old", ">= 1.10")
