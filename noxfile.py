"""The three ways to run fdk-fargate-guard (README "Usage").

    nox -s lint plan   pre-merge gate: code and plan keep every control
    nox -s e2e         post-deploy smoke test (default: a local deployment it starts itself)
    nox -s selfcheck   the suite's own code: ruff, and the linters on its example workflows
    nox -s test        the suite's own proof

Each session has its own virtualenv. checkov and terraform-compliance pin old libraries,
so each gets a tool virtualenv of its own under .nox/_tools, shared by the sessions that
call it; their paths reach the package through FDK_CHECKOV / FDK_TERRAFORM_COMPLIANCE.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

# The environment may disable bytecode writing; without compiled bytecode checkov starts
# twice as slowly.
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "plan"]
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
TOOLS = ROOT / ".nox" / "_tools"
PYTHON = "3.11"

# Pinned: checkov and terraform-compliance pin old libraries, ruff must judge alike everywhere.
CHECKOV = "checkov==3.3.30"
TERRAFORM_COMPLIANCE = "terraform-compliance==1.16.0"
RUFF = "ruff==0.17.6"


def _tool(session: nox.Session, name: str, requirement: str, binary: str) -> str:
    """Path of `binary` in a tool virtualenv holding exactly `requirement`, made on demand."""
    venv = TOOLS / name
    stamp = venv / ".fdk-requirement"
    exe = venv / "bin" / binary
    if not (exe.exists() and stamp.exists() and stamp.read_text() == requirement):
        session.run_install("uv", "venv", "--quiet", "--allow-existing", "-p", PYTHON, str(venv))
        session.run_install(
            "uv", "pip", "install", "--quiet", "-p", str(venv / "bin" / "python"), requirement
        )
        stamp.write_text(requirement)
    return str(exe)


def _with_tools(session: nox.Session) -> None:
    session.env["FDK_CHECKOV"] = _tool(session, "checkov", CHECKOV, "checkov")
    session.env["FDK_TERRAFORM_COMPLIANCE"] = _tool(
        session, "terraform-compliance", TERRAFORM_COMPLIANCE, "terraform-compliance"
    )


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """The user's root: terraform fmt/validate and the HCL policy scan; their workflows too
    when FDK_WORKFLOWS names them. The suite's own code is `selfcheck`'s."""
    workflows = os.environ.get("FDK_WORKFLOWS", "").strip()
    session.install("-e", ".[lint]" if workflows else ".")
    if workflows:
        # zizmor (security) and actionlint (correctness): exit 1 on a finding, 2 if one cannot run.
        session.run("fdk-guard-workflows", workflows)
    _with_tools(session)
    session.run("fdk-guard", "lint", *session.posargs)


@nox.session(python=PYTHON)
def selfcheck(session: nox.Session) -> None:
    """The suite's own code: ruff on its Python, the workflow linters on its examples."""
    session.install("-e", ".[lint]", RUFF)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("fdk-guard-workflows", "examples/github-actions")


@nox.session(python=PYTHON)
def plan(session: nox.Session) -> None:
    """Plan FDK_TF_DIR with FDK_TF_VARS (offline without AWS credentials) and judge it."""
    session.install("-e", ".")
    _with_tools(session)
    session.run("fdk-guard", "plan", *session.posargs)


@nox.session(python=PYTHON)
def e2e(session: nox.Session) -> None:
    """Probe a deployed target, or a local deployment started and stopped here."""
    session.install("-e", ".[e2e]")
    session.run("fdk-guard", "e2e", *session.posargs)


@nox.session(python=PYTHON)
def test(session: nox.Session) -> None:
    """The suite's own proof: unit plans, mutation proofs, probes on broken fronts."""
    session.install("-e", ".[test]")
    _with_tools(session)
    # tests/e2e is the post-deploy suite itself (nox -s e2e); its proofs live in
    # tests/probes and tests/live.
    session.run("pytest", *(session.posargs or ["tests", "--ignore=tests/e2e"]))
