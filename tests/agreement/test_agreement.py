"""Every engine of a control reads the same parameters the same way: the same good and bad
values (tests/agreement/cases.py) get the same verdict from the graph checks, checkov,
terraform-compliance and the live checks, and `deferred` where a value is unknown until
apply (from the engines that can tell; live checks read a deployed system, where nothing
is unknown)."""

from __future__ import annotations

import os
from collections import Counter

import pytest

from fdk_guard import catalogue
from fdk_guard.engines import compliance
from tests.agreement import engines
from tests.agreement.cases import all_cases

CASES = all_cases()
ENGINES = ("graph", "checkov", "compliance", "live")
TOOLS = {"checkov": "FDK_CHECKOV", "compliance": compliance.ENV_BINARY}


def engines_of(case) -> list[str]:
    listed = catalogue.load()[case.control].engines
    out = [e for e in ENGINES if e in listed]
    if case.live is None:
        out = [e for e in out if e != "live"]
    return out


PAIRS = [(case, engine) for case in CASES for engine in engines_of(case)]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[str, dict[str, str | None]]:
    """engine -> {case key: verdict}; the tool engines only when their tool is configured."""
    out = {"graph": engines.graph(CASES), "live": engines.live(CASES)}
    if os.environ.get(TOOLS["checkov"]):
        mine = [c for c in CASES if "checkov" in engines_of(c)]
        out["checkov"] = engines.checkov_run(mine, tmp_path_factory.mktemp("checkov"))
    if os.environ.get(TOOLS["compliance"]):
        mine = [c for c in CASES if "compliance" in engines_of(c)]
        out["compliance"] = engines.compliance_run(mine)
    return out


@pytest.mark.parametrize(("case", "engine"), PAIRS, ids=[f"{c.key}-{e}" for c, e in PAIRS])
def test_engine_gives_the_agreed_verdict(verdicts, case, engine) -> None:
    if engine not in verdicts:
        pytest.skip(f"{TOOLS[engine]} is not set: {engine} not run (nox -s test sets it)")
    got = verdicts[engine].get(case.key)
    if engine in case.outside and got == "pass":
        # a partial engine's pass on what it does not check (it never settles the control)
        assert engine in catalogue.load()[case.control].partial, f"{engine} checks all of it"
        return
    if engine in case.blind:
        assert got in (case.expect, "deferred"), f"{engine} cannot see this value: {got}"
    else:
        assert got == case.expect, f"{engine} says {got}, the agreed verdict is {case.expect}"


def test_every_control_with_parameters_is_in_the_table() -> None:
    # a control judged by one engine only (FDK-CHG-01: the graph) has no other to agree with
    with_params = {
        cid
        for cid, c in catalogue.load().items()
        if c.params and len([e for e in ENGINES if e in c.engines]) >= 2
    }
    assert sorted({c.control for c in CASES} ^ with_params) == []


def test_the_exact_list_edge_cases_are_in_the_table() -> None:
    names = {(c.control, c.name, c.expect) for c in CASES}
    assert {
        ("FDK-TLS-02", "ELBSecurityPolicy-TLS13-1-0-2021-06", "fail"),
        ("FDK-TLS-02", "ELBSecurityPolicy-TLS13-1-1-2021-06", "fail"),
        ("FDK-TLS-02", "ELBSecurityPolicy-TLS13-1-2-2021-06", "pass"),
        ("FDK-TLS-04", "TLSv1.2_2019 redirect-to-https", "fail"),
        ("FDK-TLS-04", "TLSv1.2_2021 redirect-to-https", "pass"),
        ("FDK-IAM-01", "s3:PutBucketPolicy", "fail"),
        ("FDK-IAM-01", "s3:*", "fail"),
        ("FDK-LOG-01", "retention 30", "fail"),
        ("FDK-LOG-01", "retention 0", "fail"),
    } <= names


def test_partial_engines_are_excused_only_where_the_catalogue_says_they_are_partial() -> None:
    for case in CASES:
        partial = catalogue.load()[case.control].partial
        assert all(e in partial for e in case.outside), (case.key, case.outside)


def test_each_control_has_good_and_bad_values() -> None:
    seen = Counter((c.control, c.expect) for c in CASES)
    for control in {c.control for c in CASES}:
        assert seen[(control, "pass")] and seen[(control, "fail")], control


def test_every_case_is_judged_by_two_engines_or_more() -> None:
    assert all(len(engines_of(c)) >= 2 for c in CASES)


def test_kept_tool_rows_are_keyed_by_the_plan_and_the_judges(tmp_path, monkeypatch):
    from fdk_guard.findings import Finding

    monkeypatch.setenv("FDK_CACHE_DIR", str(tmp_path))
    calls = []

    def run():
        calls.append(1)
        return [Finding("FDK-LOG-01", "fail", "checkov", "aws_cloudwatch_log_group.a", "0 days")]

    first = engines._kept("checkov", {"resource_changes": []}, run)
    assert engines._kept("checkov", {"resource_changes": []}, run) == first
    assert len(calls) == 1
    engines._kept("checkov", {"resource_changes": [{"address": "x"}]}, run)  # another plan
    engines._kept("compliance", {"resource_changes": []}, run)  # another tool
    monkeypatch.setattr(engines, "judges_digest", lambda: "a check changed")
    engines._kept("checkov", {"resource_changes": []}, run)
    assert len(calls) == 4
