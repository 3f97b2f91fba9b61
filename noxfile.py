"""The three ways to run fdk-fargate-guard (README "Usage").

    nox -s lint plan   pre-merge gate: code and plan keep every control
    nox -s e2e         post-deploy smoke test (default: a local deployment it starts itself)
    nox -s selfcheck   the suite's own code: ruff, and the linters on its example workflows

Exit codes hold through nox (README "Reports and exit codes"): nox turns every failed
session into 1, so when a suite command exits 2 (the suite could not run) the remaining
sessions still run and nox then exits 2 instead of 1.
    nox -s test        the suite's own proof

Each session has its own virtualenv. checkov and terraform-compliance pin old libraries,
so each gets a tool virtualenv of its own under .nox/_tools, shared by the sessions that
call it; their paths reach the package through FDK_CHECKOV / FDK_TERRAFORM_COMPLIANCE.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
from pathlib import Path

import nox
import nox.command

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


SUITE_ERROR = 2  # the suite commands' "could not run" (fdk_guard.errors.EXIT_SUITE_ERROR)
# After Ctrl-C, the suite stops its terraform and tool process groups (SIGINT, then SIGKILL
# after 10 s); nox must wait for that instead of killing it after its default 0.3 s.
INTERRUPT_TIMEOUT = 30.0
_could_not_run: list[str] = []


def _exit_2() -> None:
    """At nox's exit, after its summary: exit 2 rather than nox's 1 (see the docstring)."""
    print(
        f"nox > the suite could not run in: {', '.join(_could_not_run)} (exit {SUITE_ERROR})",
        file=sys.stderr,
    )
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    # nox has already chosen 1 and called sys.exit; only os._exit can still change it.
    os._exit(SUITE_ERROR)


def _suite(session: nox.Session, *args: str) -> None:
    """Run a suite command (fdk-guard, fdk-guard-workflows): it fails the session as any
    command does, and its exit 2 also makes nox itself exit 2 once every session has run."""
    try:
        session.run(*args, interrupt_timeout=INTERRUPT_TIMEOUT, terminate_timeout=15.0)
    except nox.command.CommandFailed as failed:
        if failed.return_code == SUITE_ERROR:
            if not _could_not_run:
                atexit.register(_exit_2)
            _could_not_run.append(f"{session.name} ({args[0]})")
        raise


def _built(name: str, requirement: str, binary: str) -> str | None:
    """Path of `binary` if its tool virtualenv already holds exactly `requirement`."""
    venv = TOOLS / name
    stamp = venv / ".fdk-requirement"
    exe = venv / "bin" / binary
    if exe.exists() and stamp.exists() and stamp.read_text() == requirement:
        return str(exe)
    return None


def _tool(session: nox.Session, name: str, requirement: str, binary: str) -> str:
    """Path of `binary` in a tool virtualenv holding exactly `requirement`, made on demand."""
    found = _built(name, requirement, binary)
    if found:
        return found
    venv = TOOLS / name
    session.run_install("uv", "venv", "--quiet", "--allow-existing", "-p", PYTHON, str(venv))
    session.run_install(
        "uv", "pip", "install", "--quiet", "-p", str(venv / "bin" / "python"), requirement
    )
    (venv / ".fdk-requirement").write_text(requirement)
    return str(venv / "bin" / binary)


def _with_tools(session: nox.Session) -> None:
    session.env["FDK_CHECKOV"] = _tool(session, "checkov", CHECKOV, "checkov")
    session.env["FDK_TERRAFORM_COMPLIANCE"] = _tool(
        session, "terraform-compliance", TERRAFORM_COMPLIANCE, "terraform-compliance"
    )


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """The user's root: its variable files, terraform fmt and validate (by planning it, into
    the cache `plan` reads; judged there too once `plan` has built the tools); their
    workflows too when FDK_WORKFLOWS names them. The suite's own code is `selfcheck`'s."""
    workflows = os.environ.get("FDK_WORKFLOWS", "").strip()
    session.install("-e", ".[lint]" if workflows else ".")
    if workflows:
        # zizmor (security) and actionlint (correctness): exit 1 on a finding, 2 if one cannot run.
        _suite(session, "fdk-guard-workflows", workflows)
    # lint installs no tool; when `plan` has already built them, lint judges the plan it
    # makes (checkov starting while Terraform plans), and `plan` finds the rows cached.
    checkov = _built("checkov", CHECKOV, "checkov")
    compliance = _built("terraform-compliance", TERRAFORM_COMPLIANCE, "terraform-compliance")
    if checkov and compliance:
        session.env["FDK_CHECKOV"], session.env["FDK_TERRAFORM_COMPLIANCE"] = checkov, compliance
    _suite(session, "fdk-guard", "lint", *session.posargs)


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
    _suite(session, "fdk-guard", "plan", *session.posargs)


@nox.session(python=PYTHON)
def e2e(session: nox.Session) -> None:
    """Probe a deployed target, or a local deployment started and stopped here."""
    session.install("-e", ".[e2e]")
    _suite(session, "fdk-guard", "e2e", *session.posargs)


@nox.session(python=PYTHON)
def test(session: nox.Session) -> None:
    """The suite's own proof: unit plans, mutation proofs, probes on broken fronts."""
    session.install("-e", ".[test]")
    _with_tools(session)
    # tests/e2e is the post-deploy suite itself (nox -s e2e); its proofs live in
    # tests/probes and tests/live.
    session.run("pytest", *(session.posargs or ["tests", "--ignore=tests/e2e", *_workers()]))


def _workers() -> list[str]:
    """pytest-xdist: one worker per usable core, at most four (a worker that plans already
    runs two terraform processes). Whole files go to one worker, so a file's costly fixtures
    (the moto world, the agreement verdicts) are built once."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(cores or 1, 4)
    return ["-n", str(workers), "--dist", "loadfile"] if workers > 1 else []
