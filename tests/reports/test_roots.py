"""The diagram on planned roots: the reference, the plain root, a community-idiom root and a
failing mutation, each judged by the plan-graph checks (tests/reports/conftest.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fdk_guard import catalogue, reports
from fdk_guard.reports import diagram
from tests.reports import mermaid_text as mt
from tests.reports.conftest import MUTATION, Judged

pytestmark = pytest.mark.slow
CONTROLS = catalogue.load()


def _draw(judged: Judged, rows=None) -> str:
    text = diagram.render(judged.graph, judged.rows if rows is None else rows, CONTROLS)
    assert text is not None, f"{judged.name}: no diagram"
    return text


def _summary_opens_with_the_diagram(judged: Judged, tmp_path: Path) -> str:
    reports.write_all(
        judged.rows, tmp_path, title=judged.name, plan=judged.plan, sources=judged.sources
    )
    text = (tmp_path / reports.SUMMARY_FILE).read_text()
    start, table = text.index("```mermaid\n"), text.index("| Control |")
    assert start < table, "the diagram comes before the table"
    return text[start + len("```mermaid\n") : text.index("```\n", start + 3)]


@pytest.mark.parametrize("name", ["reference", "plain", MUTATION])
def test_summary_md_opens_with_the_diagram(roots: dict, name: str, tmp_path: Path) -> None:
    drawn = _summary_opens_with_the_diagram(roots[name], tmp_path)
    for title in ("ALB", "ECS service", "RDS postgres", "CloudFront", "S3 bucket (WASM)"):
        assert mt.box(drawn, title)


def test_the_community_root_is_drawn_with_its_instances_grouped(community, tmp_path) -> None:
    drawn = _summary_opens_with_the_diagram(community, tmp_path)
    alb, svc = mt.box(drawn, "ALB"), mt.box(drawn, "ECS service")
    assert mt.subgraph_of(drawn, alb) == "public" and mt.subgraph_of(drawn, svc) == "private"
    assert any(a[0] == alb and a[3] == svc for a in mt.arrows(drawn))
    assert "[" not in "".join(mt.boxes(drawn).values()).replace("<br/>", "")


def test_the_reference_is_drawn_from_its_plan(roots: dict) -> None:
    text = _draw(roots["reference"])
    titles = ("ALB", "ECS service", "RDS postgres", "EC2 instance", "CloudFront", "S3 bucket")
    ids = {t: mt.box(text, t) for t in (*titles, "IAM user (CI)", "Route53")}
    assert mt.subgraph_of(text, ids["ALB"]) == "public"
    for title in ("ECS service", "RDS postgres", "EC2 instance"):
        assert mt.subgraph_of(text, ids[title]) == "private"
    drawn = {(a[0], a[3]): a[2] for a in mt.arrows(text)}
    assert drawn[("internet", ids["ALB"])] in ("HTTP :80 → redirect 301", "HTTPS :443")
    assert drawn[(ids["ALB"], ids["ECS service"])] == ":8080 · health /healthz"
    assert drawn[(ids["ECS service"], ids["RDS postgres"])].startswith("PostgreSQL :5432")
    assert drawn[(ids["CloudFront"], ids["S3 bucket"])].startswith("origin access control")
    assert drawn[(ids["IAM user (CI)"], ids["S3 bucket"])] == "deploys (S3 write)"
    assert drawn[(ids["IAM user (CI)"], ids["CloudFront"])] == "invalidates"
    assert drawn[(ids["Route53"], ids["ALB"])] == "demo.fdk.fsl.dev"
    assert ("internet", ids["ECS service"]) not in drawn
    assert "fail" not in {mt.css_class(text, i) for i in ids.values()}
    assert len(text.splitlines()) < 60, "readable at the reference's size"


def test_the_failing_mutation_marks_its_box_and_path(roots: dict) -> None:
    good, bad = _draw(roots["reference"]), _draw(roots[MUTATION])
    svc = mt.box(bad, "ECS service")
    assert mt.css_class(bad, svc) == "fail"
    arrows = mt.arrows(bad)
    i = next(i for i, a in enumerate(arrows) if a[0] == "internet" and a[3] == svc)
    assert arrows[i][1:3] == ("-.->", "public IP — fail")
    assert "#c62828" in mt.arrow_styles(bad)[i]
    for title in ("ALB", "RDS postgres", "CloudFront", "S3 bucket", "Route53"):
        assert mt.css_class(bad, mt.box(bad, title)) == mt.css_class(good, mt.box(good, title))


def test_flipping_one_control_changes_its_box(roots: dict) -> None:
    ref = roots["reference"]
    flipped = [
        dataclasses.replace(r, status="fail", message="publicly_accessible = true")
        if r.control == "FDK-NET-05" and "aws_db_instance" in r.resource
        else r
        for r in ref.rows
    ]
    before, after = _draw(ref), _draw(ref, flipped)
    db = mt.box(after, "RDS postgres")
    assert mt.css_class(before, db) == "pass" and mt.css_class(after, db) == "fail"
    assert mt.label(after, "RDS postgres").startswith("RDS postgres 16 — fail")
    for title in ("ALB", "ECS service", "CloudFront"):
        assert mt.css_class(after, mt.box(after, title)) == mt.css_class(
            before, mt.box(before, title)
        )
