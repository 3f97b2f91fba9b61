"""Findings merge semantics, and the JUnit / SARIF / Markdown writers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output
from pathlib import Path

import pytest

from fdk_guard import catalogue, findings, reports
from fdk_guard.findings import Finding

CONTROLS = catalogue.load()
FAILING = Finding("FDK-TLS-01", "fail", "checkov", "module.alb.aws_lb_listener.http", "forwards")
ROWS = [
    FAILING,
    Finding("FDK-TLS-01", "pass", "graph", "module.alb.aws_lb_listener.http", "redirects 301"),
    Finding("FDK-LOG-01", "pass", "checkov", "aws_cloudwatch_log_group.app", "14 days"),
    Finding("FDK-DATA-05", "deferred", "graph", "aws_s3_bucket_policy.wasm", "unknown ARN"),
    Finding("FDK-WEB-02", "not_applicable", "graph", "", "no wasm_clients"),
    Finding("FDK-ECS-02", "pass", "probe", "https://fdk.example.test/healthz", "200"),
    Finding("CKV_AWS_18", "fail", "checkov", "aws_s3_bucket.wasm", "no access logging"),
    Finding("CKV_AWS_19", "pass", "checkov", "aws_s3_bucket.wasm", "encrypted"),
]


# --- findings.merge (the contract the reports read) ------------------------------------


def test_merge_replaces_own_rows_keeps_others_and_restarts_on_another_root(
    tmp_path: Path,
) -> None:
    lint = [Finding("FDK-LOG-01", "pass", "checkov", "a", "ok")]
    plan = [Finding("FDK-TLS-01", "fail", "graph", "b", "no")]
    findings.merge(lint, "lint", "/r", tmp_path)
    rows = findings.merge(plan, "plan", "/r", tmp_path)
    assert [(r.session, r.control) for r in rows] == [
        ("lint", "FDK-LOG-01"),
        ("plan", "FDK-TLS-01"),
    ]
    again = findings.merge([], "plan", "/r", tmp_path)
    assert [r.session for r in again] == ["lint"]
    other = findings.merge(plan, "plan", "/other", tmp_path)
    assert [r.session for r in other] == ["plan"]
    on_disk = json.loads((tmp_path / "findings.json").read_text())
    assert on_disk == [{**plan[0].to_dict(), "session": "plan"}]
    assert findings.exit_code(other) == 1 and findings.exit_code(lint) == 0


# --- JUnit ------------------------------------------------------------------------------


def test_junit_has_a_suite_per_engine_and_maps_statuses(tmp_path: Path) -> None:
    reports.write_all(ROWS, tmp_path)
    top = ET.parse(tmp_path / reports.JUNIT_FILE).getroot()  # noqa: S314
    suites = {s.get("name"): s for s in top.iter("testsuite")}
    assert set(suites) == {"fdk-guard.checkov", "fdk-guard.graph", "fdk-guard.probe"}
    checkov = suites["fdk-guard.checkov"]
    assert (checkov.get("tests"), checkov.get("failures"), checkov.get("skipped")) == (
        "4",
        "2",
        "0",
    )
    graph = suites["fdk-guard.graph"]
    assert (graph.get("tests"), graph.get("failures"), graph.get("skipped")) == ("3", "0", "2")
    assert top.get("tests") == str(len(ROWS)) and top.get("failures") == "2"
    failure = checkov.find("testcase/failure")
    assert failure is not None and failure.get("message") == "forwards"
    assert failure.get("type") == CONTROLS["FDK-TLS-01"].severity


# --- SARIF ------------------------------------------------------------------------------


def test_sarif_is_2_1_0_with_rules_levels_and_locations(tmp_path: Path) -> None:
    reports.write_all(ROWS, tmp_path)
    doc = json.loads((tmp_path / reports.SARIF_FILE).read_text())
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (run,) = doc["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids[: len(CONTROLS)] == list(CONTROLS) and "CKV_AWS_18" in ids
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert 0.0 <= float(rule["properties"]["security-severity"]) <= 10.0
    tls = rules[ids.index("FDK-TLS-01")]
    expected = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
    assert tls["defaultConfiguration"]["level"] == expected[CONTROLS["FDK-TLS-01"].severity]
    results = run["results"]
    assert len(results) == len(ROWS)
    for result, row in zip(results, ROWS, strict=True):
        assert result["ruleId"] == row.control and ids[result["ruleIndex"]] == row.control
        assert result["message"]["text"]
        assert (result["level"] != "none") == (row.status == "fail")
    kinds = [r["kind"] for r in results]
    assert kinds[:5] == ["fail", "pass", "pass", "open", "notApplicable"]
    logical = results[0]["locations"][0]["logicalLocations"][0]
    assert logical["fullyQualifiedName"] == "module.alb.aws_lb_listener.http"
    url = results[5]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert url == "https://fdk.example.test/healthz"
    assert "locations" not in results[4]  # no resource, no location


def test_sarif_file_location_gets_a_region() -> None:
    from fdk_guard.reports import sarif

    loc = sarif._location("reference/main.tf:12")
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "reference/main.tf"
    assert loc["physicalLocation"]["region"] == {"startLine": 12}


# --- Markdown ---------------------------------------------------------------------------


def test_summary_has_a_row_per_control_and_builtins_apart(tmp_path: Path) -> None:
    reports.write_all(ROWS, tmp_path)
    text = (tmp_path / reports.SUMMARY_FILE).read_text()
    table = [ln for ln in text.splitlines() if ln.startswith("| FDK-")]
    assert len(table) == len(CONTROLS)
    tls = next(ln for ln in table if ln.startswith("| FDK-TLS-01 |"))
    assert "❌ fail" in tls and "module.alb.aws_lb_listener.http" in tls and "forwards" in tls
    assert "⏳ deferred" in next(ln for ln in table if ln.startswith("| FDK-DATA-05 |"))
    assert "⚪ not evaluated" in next(ln for ln in table if ln.startswith("| FDK-NET-01 |"))
    header = text.splitlines()[text.splitlines().index(table[0]) - 2]
    assert header.split("|")[4:7] == [" checkov ", " graph ", " probe "]
    builtin = text.split("### checkov built-in checks", 1)[1]
    assert "CKV_AWS_18" in builtin and "no access logging" in builtin
    assert "CKV_AWS_18" not in text.split("### checkov built-in checks", 1)[0]


def test_summary_is_appended_to_the_github_step_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = tmp_path / "step.md"
    step.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    reports.write_all(ROWS, tmp_path / "out")
    text = step.read_text()
    assert text.startswith("earlier step\n") and "| FDK-TLS-01 |" in text


def test_pipes_and_newlines_in_messages_do_not_break_the_table(tmp_path: Path) -> None:
    rows = [Finding("FDK-LOG-01", "fail", "checkov", "a|b", "30 days\n| not 14")]
    reports.write_all(rows, tmp_path)
    line = next(
        ln
        for ln in (tmp_path / reports.SUMMARY_FILE).read_text().splitlines()
        if ln.startswith("| FDK-LOG-01 |")
    )
    assert line.count(" | ") == line.replace("\\|", "").count(" | ")
    assert "\\|" in line and "\n" not in line


def test_a_pass_decides_what_another_engine_deferred_but_only_for_that_resource() -> None:
    from fdk_guard.reports.markdown import control_verdict

    hcl = Finding("FDK-LOG-01", "deferred", "checkov", "aws_cloudwatch_log_group.a", "unknown")
    graph = Finding("FDK-LOG-01", "pass", "graph", "aws_cloudwatch_log_group.a", "14 days")
    other = Finding("FDK-LOG-01", "deferred", "graph", "aws_cloudwatch_log_group.b", "unknown")
    assert control_verdict([hcl, graph]) == "pass"
    assert control_verdict([hcl, graph, other]) == "deferred"
    assert control_verdict([graph, other, FAILING]) == "fail"
    assert control_verdict([Finding("FDK-WEB-02", "not_applicable", "graph", "", "")]) == (
        "not_applicable"
    )
    assert control_verdict([]) is None


def test_sarif_points_addresses_at_the_declaring_file(tiny_root: Path, tmp_path: Path) -> None:
    from fdk_guard.reports.locations import locate

    assert locate(tiny_root, "module.bucket.aws_s3_bucket.this") == (
        (tiny_root / "modules" / "bucket" / "main.tf").resolve(),
        14,
    )
    assert locate(tiny_root, 'aws_secretsmanager_secret.registry["x"]')[1] == 50
    assert locate(tiny_root, "(root)") is None and locate(tiny_root, "aws_nope.x") is None
    rows = [Finding("FDK-DATA-04", "fail", "graph", "module.bucket.aws_s3_bucket.this", "no sse")]
    reports.write_all(rows, tmp_path, root=tiny_root)
    (result,) = json.loads((tmp_path / reports.SARIF_FILE).read_text())["runs"][0]["results"]
    (location,) = result["locations"]
    assert location["logicalLocations"][0]["fullyQualifiedName"] == rows[0].resource
    physical = location["physicalLocation"]
    assert physical["artifactLocation"]["uri"].endswith("tiny/modules/bucket/main.tf")
    assert physical["region"] == {"startLine": 14}
