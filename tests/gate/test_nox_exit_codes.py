"""Exit codes hold through nox: `nox -s lint plan` exits 2 exactly when fdk-guard could not
run, 1 when a control fails. The real noxfile runs under real nox, with the sessions'
commands taken from this virtualenv (`--no-venv --no-install`) instead of fresh ones."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

VENV_BIN = Path(sys.executable).parent
NOX = [sys.executable, "-m", "nox", "--noxfile", str(REPO / "noxfile.py"), "--no-venv"]


def _nox(*sessions: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*NOX, "--no-install", "-s", *sessions],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )


def _bad_input(name: str, env: dict, tmp_path: Path, tiny: Path) -> dict:
    """The environment of one bad input of README's list ("Reports and exit codes")."""
    if name == "missing root":
        return {**env, "FDK_TF_DIR": str(tmp_path / "no-such-root")}
    if name == "missing tfvars":
        return {**env, "FDK_TF_VARS": str(tmp_path / "gone.tfvars")}
    if name == "malformed tfvars":
        bad = tmp_path / "broken.tfvars"
        bad.write_text('name = "tiny"\ndocker_registry_password = \n')
        return {**env, "FDK_TF_VARS": str(bad)}
    if name == "a root terraform cannot read":
        root = tmp_path / "root"
        shutil.copytree(tiny, root)
        (root / "broken.tf").write_text('resource "aws_s3_bucket" "b" {\n')
        return {**env, "FDK_TF_DIR": str(root), "FDK_TF_VARS": ""}
    if name == "no terraform":
        assert not Path("/usr/bin/terraform").exists() and not Path("/bin/terraform").exists()
        return {**env, "PATH": f"{VENV_BIN}:/usr/bin:/bin"}
    raise AssertionError(name)


@pytest.fixture
def nox_env(gate_env: dict, tiny_root: Path) -> dict:
    return {
        **gate_env,
        "PATH": f"{VENV_BIN}:{gate_env.get('PATH', '/usr/bin:/bin')}",
        "FDK_TF_DIR": str(tiny_root),
        "FDK_TF_VARS": str(tiny_root / "tiny.tfvars"),
    }


@pytest.mark.parametrize(
    "bad",
    [
        "missing root",
        "missing tfvars",
        "malformed tfvars",
        "a root terraform cannot read",
        "no terraform",
    ],
)
def test_lint_plan_exits_2_when_the_suite_cannot_run(
    bad: str, nox_env: dict, tiny_root: Path, tmp_path: Path
) -> None:
    done = _nox("lint", "plan", env=_bad_input(bad, nox_env, tmp_path, tiny_root))
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    # both sessions ran, each up to fdk-guard, which could not run; nox summed up as usual
    assert "Command fdk-guard lint failed with exit code 2" in output
    assert "Command fdk-guard plan failed with exit code 2" in output
    assert "* lint: failed" in output and "* plan: failed" in output
    assert output.count("fdk-guard: error: ") == 2
    assert "Traceback" not in output


@pytest.mark.slow
def test_a_failing_control_is_exit_1_through_nox(nox_env: dict) -> None:
    """The tiny root has no VPC, no ALB...: controls fail, the suite ran."""
    done = _nox("plan", env=nox_env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "fdk-guard: error" not in done.stdout + done.stderr
    # the terminal view (fdk_guard.reports.terminal) names each failing control's row
    assert re.search(r"^\s*fail\s+FDK-", done.stdout, re.MULTILINE), done.stdout


def test_e2e_with_a_bad_target_exits_2_through_nox(nox_env: dict) -> None:
    done = _nox("e2e", env={**nox_env, "FDK_SERVER_URL": "http://not-https.example"})
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "FDK_SERVER_URL must be an https:// URL" in output
