"""Shared fixtures: the tiny root, and an environment where terraform runs offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TINY = REPO / "tests" / "fixtures" / "roots" / "tiny"
REFERENCE = REPO / "reference"
PLUGIN_MIRROR = Path("/opt/tf-plugins")
TOOLS = REPO / ".nox" / "_tools"
# Copies of roots (their tfvars included) that earlier versions of the tests kept in the
# cache; the planner's overlays and temporary working copies replaced them.
LEGACY_CACHE = ("unit", "mutation-roots", "mutation-roots-compliance", "report-roots")


def pytest_sessionstart(session: pytest.Session) -> None:
    cache = Path(os.environ.get("FDK_CACHE_DIR") or REPO / ".fdk-cache")
    for name in LEGACY_CACHE:
        shutil.rmtree(cache / name, ignore_errors=True)


@pytest.fixture
def tiny_root() -> Path:
    return TINY


@pytest.fixture
def gate_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """Offline whatever the caller's credentials; reports in tmp; the repo's plan cache."""
    monkeypatch.setenv("FDK_OFFLINE", "1")
    monkeypatch.setenv("FDK_REPORTS", str(tmp_path / "reports"))
    monkeypatch.setenv("FDK_CACHE_DIR", os.environ.get("FDK_CACHE_DIR", str(REPO / ".fdk-cache")))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    if not os.environ.get("FDK_TF_PLUGIN_DIR") and PLUGIN_MIRROR.is_dir():
        monkeypatch.setenv("FDK_TF_PLUGIN_DIR", str(PLUGIN_MIRROR))
    # Outside nox (which exports them), use nox's tool virtualenvs when they are built.
    for var, tool in (
        ("FDK_CHECKOV", "checkov"),
        ("FDK_TERRAFORM_COMPLIANCE", "terraform-compliance"),
    ):
        exe = TOOLS / tool / "bin" / tool
        if not os.environ.get(var) and exe.is_file():
            monkeypatch.setenv(var, str(exe))
    return dict(os.environ)


def plugin_cache_env() -> dict[str, str]:
    """For a test's own cache folder: the checkout's plugin cache, so that providers are
    downloaded once (not 600 MB a test); with a mirror none is needed (terraform links it)."""
    if os.environ.get("FDK_TF_PLUGIN_DIR", "").strip():
        return {}
    shared = REPO / ".fdk-cache" / "plugins"
    shared.mkdir(parents=True, exist_ok=True)
    return {"TF_PLUGIN_CACHE_DIR": str(shared)}


def run_cli(
    *args: str, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """`fdk-guard ARGS` as a user runs it: a separate process, its own exit code."""
    return subprocess.run(
        [sys.executable, "-m", "fdk_guard.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or REPO,
        timeout=900,
    )
