"""The product apart from its test doubles: `pip install .` alone can probe a target.

The project (src/, pyproject.toml, setup.py and the data folders, but no tests/) is copied
to a temporary folder and installed non-editable into a clean virtualenv there; its
`fdk-guard e2e`, run from an empty folder, probes the local TLS front on loopback.
The virtualenv is built by uv from its cache only (`--offline`): the test session was
just installed by the same uv, so every package it needs is there and nothing is fetched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fdk_guard.e2e.probes import PROBES
from fdk_guard.front import serve
from tests.conftest import REPO

from ._fronts import BROKEN

# What a user has after `git archive` minus the tests: the package and the data it reads.
PROJECT = ("src", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
DATA = ("policies", "features", "reference")
JUNK = shutil.ignore_patterns(
    "__pycache__", "*.egg-info", "build", ".terraform", ".terraform.lock.hcl", "*.tfstate*"
)


def _copy_project(dest: Path) -> Path:
    dest.mkdir()
    for name in (*PROJECT, *DATA):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=JUNK)
        else:
            shutil.copy2(source, dest / name)
    return dest


def _clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without anything pointing into the checkout."""
    drop = ("FDK_", "PYTHON", "VIRTUAL_ENV", "PYTEST_", "UV_PYTHON", "UV_COMPILE_BYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return {**env, **extra}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a clean virtualenv holding a non-editable install of the project."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH (the nox sessions install with it)")
    base = tmp_path_factory.mktemp("installed")
    project = _copy_project(base / "project")
    venv = base / "venv"
    python = str(venv / "bin" / "python")
    for command in (
        [uv, "venv", "--quiet", "-p", sys.executable, str(venv)],
        [uv, "pip", "install", "--quiet", "--offline", "-p", python, f"{project}[e2e]"],
    ):
        done = subprocess.run(
            command, capture_output=True, text=True, env=_clean_env(), timeout=600, check=False
        )
        assert done.returncode == 0, f"{' '.join(command)}:\n{done.stderr[-3000:]}"
    shutil.rmtree(project)  # nothing of the checkout is left to lean on
    return venv / "bin"


def _e2e(bin_dir: Path, front_env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    env = _clean_env(**front_env, FDK_REPORTS=str(cwd / "reports"), FDK_E2E_DEADLINE="10")
    return subprocess.run(
        [str(bin_dir / "fdk-guard"), "e2e"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _rows(cwd: Path) -> list[dict]:
    return json.loads((cwd / "reports" / "findings.json").read_text())


def test_the_installed_package_reads_its_bundled_data_not_the_checkout(installed: Path):
    code = "import fdk_guard, fdk_guard.data as d; print(fdk_guard.__file__); print(d.ROOT)"
    done = subprocess.run(
        [str(installed / "python"), "-c", code],
        cwd=installed.parent.parent,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    package, root = (Path(line) for line in done.stdout.split())
    assert package.is_relative_to(installed.parent), package
    assert root == package.parent / "bundled"
    assert {p.name for p in root.iterdir()} >= {"policies", "features", "reference"}
    assert not (root.parent / "tests").exists() and not (root / "tests").exists()


def test_installed_fdk_guard_e2e_passes_a_good_front(installed: Path, tmp_path: Path):
    with serve() as front:
        done = _e2e(installed, front.env(), tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    rows = _rows(tmp_path)
    assert sorted(r["control"] for r in rows) == sorted(PROBES)
    assert {(r["status"], r["engine"]) for r in rows} == {("pass", "probe")}


def test_installed_fdk_guard_e2e_fails_a_broken_front_with_exit_1(installed: Path, tmp_path: Path):
    with serve(BROKEN["coep-missing"]) as front:
        done = _e2e(installed, front.env(), tmp_path)
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-2000:]
    failing = [r for r in _rows(tmp_path) if r["status"] == "fail"]
    assert [r["control"] for r in failing] == ["FDK-WEB-01"]
    assert "Cross-Origin-Embedder-Policy missing" in failing[0]["message"]
