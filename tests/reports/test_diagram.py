"""The deployment diagram from hand-written plans: what it draws, how findings colour it,
and that it stays bounded. (tests/reports/test_roots.py: the same on planned roots.)"""

from __future__ import annotations

import dataclasses

import pytest

from fdk_guard import catalogue
from fdk_guard.findings import Finding
from fdk_guard.plangraph import PlanGraph
from fdk_guard.plangraph import checks as graph_checks
from fdk_guard.reports import diagram
from tests.reports import mermaid_text as mt
from tests.reports import synthetic

CONTROLS = catalogue.load()
# what the hand-written deployment holds; the other checks judge parts it leaves out
FOCUS = ("FDK-NET-03", "FDK-NET-04", "FDK-NET-05", "FDK-TLS-01", "FDK-ECS-02")


def _rows(resources: list[dict]) -> list[Finding]:
    rows = graph_checks.run(PlanGraph(synthetic.plan(resources)))
    return [r for r in rows if r.control in FOCUS]


def _draw(resources: list[dict], rows: list[Finding] | None = None) -> str:
    graph = PlanGraph(synthetic.plan(resources))
    rows = _rows(resources) if rows is None else rows
    text = diagram.render(graph, rows, CONTROLS)
    assert text is not None
    return text


def test_a_good_deployment_is_drawn_by_tier_and_passes() -> None:
    text = _draw(synthetic.deployment())
    alb, svc, db = (mt.box(text, t) for t in ("ALB", "ECS service", "RDS postgres"))
    assert mt.subgraph_of(text, alb) == "public"
    assert mt.subgraph_of(text, svc) == mt.subgraph_of(text, db) == "private"
    assert {mt.css_class(text, b) for b in (alb, svc, db)} == {"pass"}
    drawn = {(a[0], a[2], a[3]) for a in mt.arrows(text)}
    assert ("internet", "HTTP :80 → redirect 301", alb) in drawn
    assert ("internet", "HTTPS :443", alb) in drawn
    assert (alb, ":8080 · health /healthz", svc) in drawn
    assert (svc, "PostgreSQL :5432", db) in drawn
    assert not any(a[3] in (svc, db) and a[0] == "internet" for a in mt.arrows(text))
    assert not mt.arrow_styles(text), "nothing fails: no arrow is coloured"


def test_failing_paths_are_red_arrows_and_their_boxes_fail() -> None:
    text = _draw(synthetic.deployment(http_action="forward", public_ip=True))
    alb, svc = mt.box(text, "ALB"), mt.box(text, "ECS service")
    assert mt.css_class(text, alb) == mt.css_class(text, svc) == "fail"
    assert mt.label(text, "ECS service").startswith("ECS service — fail")
    arrows = mt.arrows(text)
    styles = mt.arrow_styles(text)
    http = next(i for i, a in enumerate(arrows) if a[2].startswith("HTTP :80"))
    assert arrows[http][2] == "HTTP :80 → forward — fail" and "#c62828" in styles[http]
    https = next(i for i, a in enumerate(arrows) if a[2].startswith("HTTPS :443"))
    assert https not in styles, "the HTTPS listener passes: its arrow is not red"
    public = next(i for i, a in enumerate(arrows) if a[3] == svc and a[0] == "internet")
    assert arrows[public][1:3] == ("-.->", "public IP — fail") and "#c62828" in styles[public]


def test_flipping_one_control_changes_its_box_only() -> None:
    resources = synthetic.deployment()
    rows = _rows(resources)
    before = _draw(resources, rows)
    flipped = [
        dataclasses.replace(r, status="fail", message="forwards")
        if r.control == "FDK-TLS-01"
        else r
        for r in rows
    ]
    after = _draw(resources, flipped)
    alb = mt.box(before, "ALB")
    assert (mt.css_class(before, alb), mt.css_class(after, alb)) == ("pass", "fail")
    for title in ("ECS service", "RDS postgres"):
        assert mt.css_class(after, mt.box(after, title)) == "pass"
    http = [a for a in mt.arrows(after) if a[2].startswith("HTTP :80")]
    assert http and http[0][2].endswith("— fail")


def test_instances_are_one_box_and_many_resources_stay_bounded() -> None:
    many_lbs = [
        synthetic.resource(
            f"aws_lb.lb{i}", {"internal": False, "load_balancer_type": "application"}
        )
        for i in range(20)
    ]
    text = _draw(synthetic.deployment(services=400) + many_lbs)
    assert mt.label(text, "ECS service").startswith("ECS service ×400 — ")
    assert "aws_ecs_service.app<br/>" in mt.label(text, "ECS service")
    albs = [b for b, label in mt.boxes(text).items() if label.startswith("ALB")]
    assert len(albs) == diagram.MAX_PER_KIND - 1
    assert mt.label(text, "... and").startswith(f"... and {21 - diagram.MAX_PER_KIND + 1} more")
    assert len(text.splitlines()) < 80


def test_absent_parts_are_not_drawn() -> None:
    text = _draw(synthetic.deployment())
    for title in ("CloudFront", "S3 bucket", "Route53", "IAM user", "EC2 instance"):
        assert not any(label.startswith(title) for label in mt.boxes(text).values())
    assert diagram.render(PlanGraph(synthetic.plan([])), [], CONTROLS) is None
    only_vpc = [r for r in synthetic.deployment() if r["address"].startswith("aws_subnet")]
    assert diagram.render(PlanGraph(synthetic.plan(only_vpc)), [], CONTROLS) is None


def test_waived_and_future_statuses_are_named_not_dropped() -> None:
    resources = synthetic.deployment(http_action="forward")
    rows = []
    for row in _rows(resources):
        if row.control == "FDK-TLS-01":  # a live waiver covers the forwarding listener
            row = dataclasses.replace(row, status="pass")
            object.__setattr__(row, "status", "waived")  # findings.py may not know it yet
        rows.append(row)
    text = _draw(resources, rows)
    assert mt.css_class(text, mt.box(text, "ALB")) == "waived"
    assert mt.label(text, "ALB").startswith("ALB — waived")
    http = next(a for a in mt.arrows(text) if a[2].startswith("HTTP :80"))
    assert http[2] == "HTTP :80 → forward", "a waived path is not drawn as failing"
    assert (diagram._word("stale"), diagram._class("stale")) == ("stale", "other")
    assert (diagram._word(None), diagram._class(None)) == ("not judged", "none")
    assert "classDef other" in text and "classDef waived" in text


@pytest.mark.parametrize("hostile", ['x"];click n1 call alert(1);["', "a<b>#1;", "fdk|pipe"])
def test_labels_cannot_break_out_of_their_quotes(hostile: str) -> None:
    text = diagram._text(hostile)
    assert '"' not in text and "<" not in text and ">" not in text
    assert "#35;1;" in diagram._text("#1;")


def test_the_frontend_and_who_deploys_it() -> None:
    good = _draw(synthetic.frontend(), rows=[])
    cdn, bucket = mt.box(good, "CloudFront"), mt.box(good, "S3 bucket (WASM)")
    ci, role = mt.box(good, "IAM user (CI)"), mt.box(good, "IAM role (GitHub OIDC)")
    zone = mt.box(good, "Route53 zone")
    drawn = {(a[0], a[3]): a[2] for a in mt.arrows(good)}
    assert drawn[("internet", cdn)] == "HTTPS"
    assert drawn[(cdn, bucket)] == "origin access control"
    assert drawn[(ci, bucket)] == drawn[(role, bucket)] == "deploys (S3 write)"
    assert drawn[(zone, cdn)] == "app.example.test"
    assert "app.example.test" in mt.label(good, "CloudFront")

    resources = synthetic.frontend(oac=False)
    rows = [Finding("FDK-DATA-05", "fail", "graph", "aws_cloudfront_distribution.wasm", "no OAC")]
    bad = _draw(resources, rows)
    arrows = mt.arrows(bad)
    i = next(i for i, a in enumerate(arrows) if a[2].startswith("no origin access control"))
    assert arrows[i][2] == "no origin access control — fail"
    assert "#c62828" in mt.arrow_styles(bad)[i]
    assert mt.css_class(bad, mt.box(bad, "CloudFront")) == "fail"
    assert mt.css_class(bad, mt.box(bad, "S3 bucket (WASM)")) == "none"
    probe = [Finding("FDK-WEB-01", "pass", "probe", "https://app.example.test/index.html", "ok")]
    assert mt.css_class(_draw(resources, probe), mt.box(bad, "CloudFront")) == "pass"
