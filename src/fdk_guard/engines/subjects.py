"""Controls about one resource among those of its type: the FDK server's ALB (FDK-NET-03,
the one whose listener forwards to the server), the target groups its service registers
in (FDK-ECS-02), the database its DATABASE__HOST names (FDK-DATA-03), its service and task
definition (FDK-ECS-01); and the WASM frontend's distribution and the response headers
policy it attaches (FDK-WEB-01).

checkov and terraform-compliance judge one resource at a time and cannot follow listeners,
services or the server's environment to tell which it is. Where the plan has more than one
resource of the type they failed, their failures are `deferred`, and the graph engine,
which follows the links, decides: it judges the server's, and finds the others
`not_applicable`, which settles what only these engines deferred (fdk_guard.verdicts).
"""

from __future__ import annotations

from dataclasses import replace

from fdk_guard.findings import Finding

# control -> ((the subject's types, what they are called), ... each counted apart), and
# what links them to the server
Group = tuple[tuple[str, ...], str]
SUBJECTS: dict[str, tuple[tuple[Group, ...], str]] = {
    "FDK-NET-03": (((("aws_lb", "aws_alb"), "application load balancers"),), "listeners"),
    "FDK-ECS-02": (
        ((("aws_lb_target_group", "aws_alb_target_group"), "target groups"),),
        "ECS services",
    ),
    "FDK-DATA-03": (
        ((("aws_db_instance", "aws_rds_cluster"), "databases"),),
        "the server's DATABASE__HOST",
    ),
    "FDK-ECS-01": (
        (
            (("aws_ecs_service",), "ECS services"),
            (("aws_ecs_task_definition",), "task definitions"),
        ),
        "load balancers",
    ),
    "FDK-WEB-01": (
        (
            (("aws_cloudfront_distribution",), "CloudFront distributions"),
            (("aws_cloudfront_response_headers_policy",), "response headers policies"),
        ),
        "origins to the WASM bucket",
    ),
}


def _kept(plan: dict | None) -> dict[str, str]:
    """address -> type of the managed resources the plan keeps (of load balancers, the
    application ones)."""
    out = {}
    for rc in (plan or {}).get("resource_changes") or []:
        change = rc.get("change") or {}
        if rc.get("mode", "managed") != "managed" or change.get("actions") == ["delete"]:
            continue
        if (change.get("after") or {}).get("load_balancer_type") in (None, "application"):
            out[rc.get("address")] = rc.get("type")
    return out


def one_of_many(rows: list[Finding], plan: dict | None) -> list[Finding]:
    """`rows` of a per-resource engine, its failures on a subject deferred where the plan
    has several of the subject's type it cannot tell apart."""
    kept: dict[str, str] | None = None
    out = []
    for row in rows:
        spec = SUBJECTS.get(row.control)
        if row.status != "fail" or spec is None:
            out.append(row)
            continue
        kept = _kept(plan) if kept is None else kept
        groups, links = spec
        types, called = next((g for g in groups if kept.get(row.resource) in g[0]), ((), ""))
        many = [a for a, t in kept.items() if t in types]
        if len(many) < 2:
            out.append(row)
            continue
        why = (
            f"; the plan has {len(many)} {called} and only the FDK server's is held to it,"
            f" which this engine cannot tell (it does not follow {links})"
        )
        out.append(replace(row, status="deferred", message=row.message + why))
    return out
