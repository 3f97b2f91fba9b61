"""The terminal view: one line per control, failing resources bounded, a tally of controls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fdk_guard import catalogue, cli, findings
from fdk_guard.findings import Finding
from fdk_guard.reports import terminal

CONTROLS = catalogue.load()


def _text(rows: list[Finding]) -> list[str]:
    return [line.plain for line in terminal.control_lines(rows, CONTROLS)]


def _all_pass() -> list[Finding]:
    return [Finding(cid, "pass", "graph", "aws_x.y", "ok") for cid in CONTROLS]


def test_a_failing_control_names_its_first_resources_and_how_many_more() -> None:
    buckets = [
        Finding("FDK-DATA-04", "fail", "graph", f"aws_s3_bucket.b[{i}]", "no public access block")
        for i in range(800)
    ]
    rows = [r for r in _all_pass() if r.control != "FDK-DATA-04"] + buckets
    lines = _text(rows)
    head = next(i for i, ln in enumerate(lines) if "FDK-DATA-04" in ln)
    assert lines[head].split()[0] == "fail" and lines[head].endswith("(800 failing resources)")
    shown = lines[head + 1 : head + 1 + terminal.MAX_SHOWN]
    assert shown[0].strip() == "aws_s3_bucket.b[0]: no public access block"
    assert lines[head + 1 + terminal.MAX_SHOWN].strip() == "... and 797 more"
    assert len(lines) == len(CONTROLS) + terminal.MAX_SHOWN + 1, "bounded whatever the root"
    assert lines[head:] == lines[-(terminal.MAX_SHOWN + 2) :], "failures print last"


def test_other_statuses_say_which_resource_and_why() -> None:
    rows = [r for r in _all_pass() if r.control not in ("FDK-DATA-02", "FDK-NET-03")]
    rows += [
        Finding("FDK-DATA-02", "deferred", "graph", "aws_ecs_task_definition.t", "unknown ARN"),
        # a partial engine's pass does not settle what the graph deferred
        Finding("FDK-NET-03", "deferred", "graph", "aws_lb.a", "subnets unknown"),
        Finding("FDK-NET-03", "pass", "compliance", "aws_lb.a", "internet-facing"),
    ]
    lines = {ln.split()[1]: ln for ln in _text(rows)}
    assert lines["FDK-DATA-02"].split()[0] == "deferred"
    assert "aws_ecs_task_definition.t: unknown ARN" in lines["FDK-DATA-02"]
    assert lines["FDK-NET-03"].split()[0] == "deferred"
    assert "aws_lb.a: subnets unknown" in lines["FDK-NET-03"]
    assert lines["FDK-LOG-01"].endswith(CONTROLS["FDK-LOG-01"].title)


def test_the_tally_counts_controls_not_rows() -> None:
    rows = [r for r in _all_pass() if r.control not in ("FDK-TLS-01", "FDK-IAM-03", "FDK-WEB-02")]
    rows += [Finding("FDK-TLS-01", "fail", "graph", f"l{i}", "forwards") for i in range(5)]
    rows += [Finding("FDK-IAM-03", "not_applicable", "graph", "(root)", "no role")]
    passing = len(CONTROLS) - 3
    assert terminal.tally(rows, CONTROLS) == (
        f"{len(CONTROLS)} controls: 1 fail, {passing} pass, 1 n/a, 1 not evaluated"
    )


def test_checkov_builtins_and_the_plan_fold_into_one_line_each() -> None:
    rows = [
        Finding("CKV_AWS_18", "fail", "checkov", "aws_s3_bucket.a", "no logging"),
        Finding("CKV_AWS_19", "pass", "checkov", "aws_s3_bucket.a", "encrypted"),
    ]
    line = terminal.builtin_line(rows)
    assert line.startswith("checkov built-in checks: 1 failing of 2: CKV_AWS_18")
    assert terminal.builtin_line(_all_pass()) is None
    change = {"mode": "managed", "change": {"actions": ["create"]}}
    plan = {
        "resource_changes": [{**change, "type": "aws_s3_bucket"}] * 3
        + [{"mode": "managed", "type": "aws_lb", "change": {"actions": ["delete", "create"]}}]
    }
    assert terminal.planned(plan).startswith("planned 4 resources of 2 types: 3 create, 1 replace")


def test_report_prints_the_control_lines_and_the_tally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    rows = [r for r in _all_pass() if r.control != "FDK-NET-04"]
    rows.append(Finding("FDK-NET-04", "fail", "graph", 'aws_ecs_service.s["a"]', "public IP"))
    findings.merge(rows, "plan", "/root", tmp_path)
    monkeypatch.setenv("FDK_REPORTS", str(tmp_path))
    assert cli.main(["report"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith(f"{len(CONTROLS)} controls: 1 fail, {len(CONTROLS) - 1} pass")
    assert sum(1 for ln in out if ln.split()[:1] == ["pass"]) == len(CONTROLS) - 1
    fail = next(i for i, ln in enumerate(out) if "FDK-NET-04" in ln)
    assert out[fail + 1].strip() == 'aws_ecs_service.s["a"]: public IP'
    assert json.loads((tmp_path / "findings.json").read_text())  # reports keep every row
