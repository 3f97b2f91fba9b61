"""summary.md, SARIF and summary.html: remediation for failures, the diagram when the plan
is known, the resource types folded away from the terminal."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from fdk_guard import catalogue, reports
from fdk_guard.findings import Finding
from fdk_guard.reports import markdown
from tests.reports import synthetic

CONTROLS = catalogue.load()
ROWS = [
    Finding("FDK-TLS-01", "fail", "graph", "aws_lb_listener.http", "forwards", "plan"),
    Finding("FDK-LOG-01", "pass", "graph", "aws_cloudwatch_log_group.app", "14 days", "plan"),
    Finding("FDK-DATA-05", "deferred", "graph", "aws_s3_bucket_policy.w", "unknown", "plan"),
]


def _row(text: str, cid: str) -> str:
    return next(ln for ln in text.splitlines() if ln.startswith(f"| {cid} |"))


def test_failing_controls_end_with_their_remediation(tmp_path: Path) -> None:
    reports.write_all(ROWS, tmp_path)
    text = (tmp_path / reports.SUMMARY_FILE).read_text()
    fix = CONTROLS["FDK-TLS-01"].remediation
    assert _row(text, "FDK-TLS-01").endswith(f"🔧 **Fix:** {fix} |")
    for cid in ("FDK-LOG-01", "FDK-DATA-05", "FDK-NET-01"):
        assert "Fix:" not in _row(text, cid)
    page = (tmp_path / reports.HTML_FILE).read_text()
    row = re.search(r'<tr id="FDK-TLS-01".*', page).group(0)
    assert 'class="fix"' in row and "<code>aws_lb_listener</code>" in row


def test_every_sarif_rule_carries_its_remediation_as_help(tmp_path: Path) -> None:
    reports.write_all(ROWS, tmp_path)
    rules = json.loads((tmp_path / reports.SARIF_FILE).read_text())["runs"][0]["tool"]["driver"]
    by_id = {r["id"]: r for r in rules["rules"]}
    for cid, control in CONTROLS.items():
        help_ = by_id[cid]["help"]
        assert help_["markdown"] == f"**Fix:** {control.remediation}"
        assert help_["text"] and "`" not in help_["text"]


def test_the_diagram_and_resource_types_need_the_plan_sessions_plan(tmp_path: Path) -> None:
    plan = synthetic.plan(synthetic.deployment())
    (tmp_path / reports.PLAN_FILE).write_text(json.dumps(plan))
    lint_only = [dataclasses.replace(r, session="lint") for r in ROWS]
    reports.write_all(lint_only, tmp_path)
    text = (tmp_path / reports.SUMMARY_FILE).read_text()
    assert "```mermaid" not in text, "a plan.json not from this root's plan session"
    reports.write_all(ROWS, tmp_path)
    text = (tmp_path / reports.SUMMARY_FILE).read_text()
    assert text.index("```mermaid\nflowchart LR") < text.index("| Control |")
    assert "<details><summary>Planned resources by type</summary>" in text
    assert "| aws_subnet | 4 |" in text
    page = (tmp_path / reports.HTML_FILE).read_text()
    assert "flowchart LR" in page and "<svg" not in page, "no browser ran: the source"
    assert "<script" not in page and not re.search(r"\b(src|href)=|url\(|@import", page)


def test_statuses_the_renderers_do_not_know_are_shown_by_name() -> None:
    row = dataclasses.replace(ROWS[1])
    object.__setattr__(row, "status", "waived")
    text = markdown.render([row], CONTROLS)
    assert "1 waived" in text.splitlines()[2]
    assert "waived" in _row(text, "FDK-LOG-01")
