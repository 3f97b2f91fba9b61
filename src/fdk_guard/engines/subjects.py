"""Controls about one resource among those of its types: the FDK server's ALB (FDK-NET-03,
the one whose listener forwards to the server), the target groups its service registers
in (FDK-ECS-02) and the database its DATABASE__HOST names (FDK-DATA-03).

checkov and terraform-compliance judge one resource at a time and cannot follow listeners
or services to tell which it is. Where the plan has more than one resource of those types,
their failures on them are `deferred`, and the graph engine, which follows the links,
decides: it judges the server's, and finds the others `not_applicable`, which settles
what only these engines deferred (fdk_guard.verdicts).
"""

from __future__ import annotations

from dataclasses import replace

from fdk_guard.findings import Finding

# control -> (the types of its subject, what they are called, what links them to the server)
SUBJECTS = {
    "FDK-NET-03": (("aws_lb", "aws_alb"), "application load balancers", "listeners"),
    "FDK-ECS-02": (
        ("aws_lb_target_group", "aws_alb_target_group"),
        "target groups",
        "ECS services",
    ),
    "FDK-DATA-03": (
        ("aws_db_instance", "aws_rds_cluster"),
        "databases",
        "the server's DATABASE__HOST",
    ),
}


def candidates(plan: dict | None, types: tuple[str, ...]) -> set[str]:
    """The managed resources of `types` the plan keeps (of load balancers, the application
    ones)."""
    out = set()
    for rc in (plan or {}).get("resource_changes") or []:
        change = rc.get("change") or {}
        if rc.get("mode", "managed") != "managed" or rc.get("type") not in types:
            continue
        if change.get("actions") == ["delete"]:
            continue
        if (change.get("after") or {}).get("load_balancer_type") in (None, "application"):
            out.add(rc.get("address"))
    return out


def one_of_many(rows: list[Finding], plan: dict | None) -> list[Finding]:
    """`rows` of a per-resource engine, its failures on a subject deferred where the plan
    has several it cannot tell apart."""
    found: dict[str, set[str]] = {}
    out = []
    for row in rows:
        spec = SUBJECTS.get(row.control)
        if row.status != "fail" or spec is None:
            out.append(row)
            continue
        types, called, links = spec
        if row.control not in found:
            found[row.control] = candidates(plan, types)
        many = found[row.control]
        if len(many) < 2 or row.resource not in many:
            out.append(row)
            continue
        why = (
            f"; the plan has {len(many)} {called} and only the FDK server's is held to it,"
            f" which this engine cannot tell (it does not follow {links})"
        )
        out.append(replace(row, status="deferred", message=row.message + why))
    return out
