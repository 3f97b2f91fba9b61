"""The tools started before the plan exists (engines.warm): they run as their script would,
give the rows a cold start gives, and never outlive the judging that was handed them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fdk_guard import children, engines
from fdk_guard.engines import checkov, compliance, warm_start
from fdk_guard.errors import GuardError
from tests.agreement.plans import Res, plan
from tests.conftest import TOOLS


def fake_tool(
    tmp_path: Path, preload: str = "import json as _unused", run: str = ""
) -> warm_start.Warm:
    """A 'tool' in this interpreter: prints its argv and exits 3."""
    script = tmp_path / "tool"
    script.write_text(f"#!{sys.executable}\n")
    run = run or "print(' '.join(sys.argv)); sys.exit(3)"
    return warm_start.Warm("tool", str(script), preload=preload, run=run, env=dict(os.environ))


def gone(tool: warm_start.Warm) -> bool:
    return tool.proc.poll() is not None and tool.proc.pid not in children._live


def test_a_warm_tool_runs_as_its_script_would_with_the_arguments_given_later(tmp_path) -> None:
    tool = fake_tool(tmp_path)
    done = children.communicate(tool.start(["-p", "plan.json"]), timeout=30)
    assert (done.returncode, done.stdout.strip()) == (3, "tool -p plan.json")
    tool.cancel()  # after its run: nothing left to stop
    assert gone(tool)


def test_a_tool_never_started_is_stopped_by_cancel(tmp_path) -> None:
    tool = fake_tool(tmp_path)
    tool.cancel()
    assert gone(tool)
    with pytest.raises(GuardError, match="already started or cancelled"):
        tool.start([])


def test_a_tool_that_died_while_importing_says_why(tmp_path) -> None:
    tool = fake_tool(tmp_path, preload="import no_such_module_anywhere")
    tool.proc.wait(timeout=30)
    with pytest.raises(GuardError, match="tool stopped before.*no_such_module_anywhere"):
        tool.start(["x"])
    tool.cancel()
    assert gone(tool)


def test_unused_warm_tools_are_stopped_by_the_judging_they_were_handed(tmp_path) -> None:
    handed = engines.Warmed(checkov=fake_tool(tmp_path), compliance=fake_tool(tmp_path))
    given = plan([Res("aws_cloudwatch_log_group", "app", {"retention_in_days": 14})])
    rows = engines.evaluate_plan(tmp_path / "p.json", given, tmp_path, ("graph",), {}, handed)
    assert rows and gone(handed.checkov) and gone(handed.compliance)


def test_a_judging_that_fails_stops_the_warm_tools(tmp_path, monkeypatch) -> None:
    scanner = fake_tool(tmp_path, run="import time; time.sleep(60)")  # checkov, scanning
    scanner.scan = lambda *args, **kwargs: scanner.start(["scan"])
    handed = engines.Warmed(checkov=scanner, compliance=fake_tool(tmp_path))
    monkeypatch.setattr(
        compliance, "start", lambda *a, **k: (_ for _ in ()).throw(GuardError("broken"))
    )
    with pytest.raises(GuardError, match="broken"):
        engines.evaluate_plan(tmp_path / "p.json", plan([]), tmp_path, sources={}, warm=handed)
    assert gone(handed.checkov) and gone(handed.compliance)


# --- the real tools: the same rows warm as cold ------------------------------------------

LOG_GROUPS = plan(
    [
        Res("aws_cloudwatch_log_group", "kept", {"name": "a", "retention_in_days": 14}),
        Res("aws_cloudwatch_log_group", "short", {"name": "b", "retention_in_days": 7}),
    ]
)


def _tool(monkeypatch, var: str, name: str) -> None:
    if os.environ.get(var):
        return
    built = TOOLS / name / "bin" / name
    if not built.is_file():
        pytest.skip(f"{var} not set and no {built} (nox -s test builds it)")
    monkeypatch.setenv(var, str(built))


def test_terraform_compliance_warm_gives_the_rows_of_a_cold_run(tmp_path, monkeypatch) -> None:
    _tool(monkeypatch, compliance.ENV_BINARY, "terraform-compliance")
    warm_join = compliance.start(None, LOG_GROUPS, warm=compliance.warm())  # side by side
    tried: list[str] = []

    def as_itself() -> compliance.Warm:  # the tool's own script, without the launcher
        tried.append("launcher")
        raise warm_start.NotPython("plain")

    monkeypatch.setattr(compliance, "Warm", as_itself)
    cold, warm = compliance.evaluate(None, LOG_GROUPS), warm_join()
    assert tried == ["launcher"]  # without a tool started ahead, it starts one now
    assert sorted(map(repr, warm)) == sorted(map(repr, cold))
    assert {(r.resource, r.status) for r in warm if r.control == "FDK-LOG-01"} >= {
        ("aws_cloudwatch_log_group.short", "fail")
    }


def test_the_compliance_preload_reuses_compiled_step_patterns(monkeypatch) -> None:
    """The preload's speed-up is in place (a newer radish without `matcher.Parser` would
    leave it out silently; this says so)."""
    _tool(monkeypatch, compliance.ENV_BINARY, "terraform-compliance")
    python = warm_start.python_of(compliance.binary())
    probe = compliance._PRELOAD + (
        "\nimport radish.matcher"
        "\nfirst = radish.matcher.Parser('I have {name} defined')"
        "\nassert radish.matcher.Parser('I have {name} defined') is first"
        "\nassert first.parse('I have aws_s3_bucket defined')['name'] == 'aws_s3_bucket'"
    )
    done = subprocess.run([python, "-W", "ignore", "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-500:]


def test_the_compliance_preload_does_without_what_another_version_lacks(monkeypatch) -> None:
    _tool(monkeypatch, compliance.ENV_BINARY, "terraform-compliance")
    python = warm_start.python_of(compliance.binary())
    lacking = (  # no IPython, and a radish whose matcher has no Parser
        "import sys\nsys.modules['IPython'] = None\n"
        "import radish.matcher\ndel radish.matcher.Parser\n"
    )
    done = subprocess.run(
        [python, "-W", "ignore", "-c", lacking + compliance._PRELOAD + "\nassert cli"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-500:]


def test_checkov_warm_gives_the_rows_of_a_cold_run(tmp_path, monkeypatch) -> None:
    _tool(monkeypatch, "FDK_CHECKOV", "checkov")
    target = checkov.plan_for_scan(LOG_GROUPS, tmp_path)
    cold_proc = checkov.start(target, "terraform_plan")  # side by side
    warm = checkov.collect(checkov.warm().scan(target, "terraform_plan"))
    cold = checkov.collect(cold_proc)
    assert sorted(map(repr, warm)) == sorted(map(repr, cold))
    assert ("aws_cloudwatch_log_group.short", "fail") in {
        (r.resource, r.status) for r in warm if r.control == "FDK-LOG-01"
    }


@pytest.mark.parametrize(
    ("head", "python"),
    [
        ("#!{py}\n", True),
        ("#!/usr/bin/env {name}\n", True),
        ("#!/bin/sh\n'''exec' \"{py}\" \"$0\" \"$@\"\n' '''\n", True),  # pip, a long path
        ("#!/bin/sh\n'''exec' '{py}' \"$0\" \"$@\"\n' '''\n", True),
        ('#!/bin/sh\nexec docker run checkov "$@"\n', False),  # a wrapper
        ("\x7fELF\x02\x01", False),  # a binary
    ],
)
def test_only_a_python_launcher_is_started_ahead(tmp_path, monkeypatch, head, python) -> None:
    py = Path(sys.executable)
    monkeypatch.setenv("PATH", f"{py.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    script = tmp_path / "tool"
    script.write_text(head.format(py=py, name=py.name))
    found = warm_start.python_of(str(script))
    assert (found is not None) == python
    if python:
        assert Path(found).resolve() == py.resolve()


def test_a_tool_that_cannot_start_ahead_is_left_to_start_when_needed(tmp_path, monkeypatch):
    wrapper = tmp_path / "checkov"
    wrapper.write_text("#!/bin/sh\nexec true\n")
    wrapper.chmod(0o755)
    monkeypatch.setenv("FDK_CHECKOV", str(wrapper))
    monkeypatch.setenv(compliance.ENV_BINARY, str(wrapper))
    started = engines.warm()
    assert (started.checkov, started.compliance) == (None, None)
