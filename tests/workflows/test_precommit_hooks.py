"""The pre-commit manifest is valid and every hook runs a command the package installs."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / ".pre-commit-hooks.yaml"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def hooks() -> list[dict]:
    return yaml.safe_load(MANIFEST.read_text())


def test_manifest_is_valid_for_pre_commit() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_hooks_run_the_package_entry_points() -> None:
    scripts = PYPROJECT["project"]["scripts"]
    assert {h["id"] for h in hooks()} == {"fdk-guard-lint", "fdk-guard-workflows"}
    for hook in hooks():
        assert hook["language"] == "python"
        command = shlex.split(hook["entry"])[0]
        assert command in scripts, f"{hook['id']}: {command} is not a console script"
    lint = next(h for h in hooks() if h["id"] == "fdk-guard-lint")
    assert shlex.split(lint["entry"])[1:] == ["lint"]
    assert lint["pass_filenames"] is False  # it lints FDK_TF_DIR as a whole


def test_hook_pins_match_the_project_pins() -> None:
    """The hooks install the same tool versions as the nox sessions and the lint extra."""
    lint_extra = set(PYPROJECT["project"]["optional-dependencies"]["lint"])
    noxfile = (REPO / "noxfile.py").read_text()
    by_id = {h["id"]: set(h.get("additional_dependencies", [])) for h in hooks()}
    assert by_id["fdk-guard-workflows"] == lint_extra
    # `fdk-guard lint` judges the root's files (tfvars, fmt, validate by planning); the
    # controls, and checkov with them, are `plan`'s, left to CI. The nox session installs
    # the package alone (it hands over tool virtualenvs `plan` already built), and so does
    # the hook.
    lint_session = re.search(r"def lint\(session.*?(?=\n@nox\.session|\Z)", noxfile, re.S)
    assert lint_session
    assert "_tool(" not in lint_session.group(0) and "_with_tools(" not in lint_session.group(0)
    assert by_id["fdk-guard-lint"] == set()


def test_hook_file_patterns_select_the_right_files() -> None:
    patterns = {h["id"]: re.compile(h["files"]) for h in hooks()}
    assert patterns["fdk-guard-lint"].search("reference/modules/vpc/main.tf")
    assert patterns["fdk-guard-lint"].search("reference/examples/demo.tfvars")
    assert not patterns["fdk-guard-lint"].search("README.md")
    assert patterns["fdk-guard-workflows"].search(".github/workflows/fdk-gate.yml")
    assert not patterns["fdk-guard-workflows"].search("examples/github-actions/fdk-gate.yml")


def test_the_suite_finds_its_policies_when_pre_commit_installs_it(tmp_path: Path) -> None:
    """pre-commit installs the hook repo non-editable, into `<clone>/py_env-python3.X`."""
    from fdk_guard.data import suite_root

    clone = tmp_path / "repo1234"
    (clone / "policies").mkdir(parents=True)
    (clone / "policies" / "catalogue.yaml").write_text("controls: []\n")
    env = clone / "py_env-python3.11"
    installed = env / "lib" / "python3.11" / "site-packages" / "fdk_guard" / "catalogue.py"
    installed.parent.mkdir(parents=True)
    installed.write_text("")
    assert suite_root(installed, env) == clone
    # A checkout (editable install) keeps finding itself, whatever the virtualenv.
    assert suite_root(REPO / "src" / "fdk_guard" / "catalogue.py", env) == REPO
    # Neither: the old answer, so the error names the path it looked in.
    assert suite_root(installed, tmp_path / "elsewhere" / "venv") == installed.parents[2]
    # A wheel installed anywhere else: the copy it carries (setup.py bundles it).
    bundled = installed.parent / "bundled"
    (bundled / "policies").mkdir(parents=True)
    (bundled / "policies" / "catalogue.yaml").write_text("controls: []\n")
    assert suite_root(installed, tmp_path / "elsewhere" / "venv") == bundled
