"""The one verdict rule (fdk_guard.verdicts): partial engines, deferred, after-apply."""

from __future__ import annotations

import pytest

from fdk_guard import findings
from fdk_guard.findings import Finding
from fdk_guard.verdicts import control_status


def row(status, engine="graph", resource="aws_ecs_service.s", control="FDK-NET-04"):
    return Finding(control, status, engine, resource, "why")


@pytest.mark.parametrize(
    ("rows", "partial", "want"),
    [
        ([row("pass"), row("pass", "checkov")], ("checkov",), "pass"),
        # the graph could not follow the subnets: checkov's partial pass settles nothing
        ([row("deferred"), row("pass", "checkov"), row("pass", "compliance", "")],
         ("checkov", "compliance"), "deferred"),
        # a partial pass where no engine deferred (e.g. a whole-root scenario) passes
        ([row("pass", "checkov")], ("checkov",), "pass"),
        ([row("pass"), row("pass", "compliance", "")], ("compliance",), "pass"),
        ([row("deferred"), row("pass", "checkov")], (), "pass"),
        ([row("pass"), row("fail", "checkov")], ("checkov",), "fail"),
        ([row("not_applicable", resource="(root)")], (), "not_applicable"),
        ([row("not_applicable", resource="(root)"), row("pass")], (), "pass"),
        # plan-time deferred, settled by a live check that checks the whole promise
        ([row("deferred"), row("pass", "live", "arn:aws:ecs:task/1")], (), "pass"),
        ([row("deferred"), row("pass", "live", "arn:1"), row("deferred", "live", "arn:2")],
         (), "deferred"),
        ([row("deferred"), row("pass", "live", "arn:1")], ("live",), "deferred"),
        # a partial engine could not tell which ALB fronts the server; the graph, which
        # follows listeners, found this one is not the server's: not its subject
        ([row("deferred", "compliance"), row("not_applicable")], ("compliance",),
         "not_applicable"),
        ([row("deferred", "compliance"), row("not_applicable"), row("pass", resource="lb.a")],
         ("compliance",), "pass"),
        # a whole-promise engine's own deferral is never settled that way
        ([row("deferred"), row("not_applicable", "checkov")], ("compliance",), "deferred"),
        ([row("deferred", "compliance"), row("not_applicable", "checkov")], ("compliance",
         "checkov"), "deferred"),
        ([], (), None),
    ],
)  # fmt: skip
def test_control_status(rows, partial, want):
    assert control_status(rows, partial) == want


def test_builtin_checks_never_fail_the_gate():
    builtin = Finding("CKV_AWS_18", "fail", "checkov", "aws_s3_bucket.b", "no access logs")
    assert findings.exit_code([builtin]) == 0
    assert findings.exit_code([builtin, row("fail")]) == 1
