"""FDK-NET-06: security groups chain ALB -> tasks (8080) -> RDS (5432); no ingress from
0.0.0.0/0 or ::/0 except the ALB on 80/443."""

from ._lib import LB_TYPES, Verdicts
from ._sg import ingress_rules

CONTROL = "FDK-NET-06"


def _groups(g, types, *path):
    out, unknown = set(), []
    for res in g.of_type(*types):
        refs = g.ref_resources(res, *path)
        if refs is None:
            unknown.append(f"security groups of {res.address}")
            continue
        out |= {r.address for r in refs if r.type == "aws_security_group"}
    return out, unknown


def _chain(v, rules, targets, sources, port, what, unknowns):
    found, maybe = [], False
    for r in rules:
        if r.group not in targets:
            continue
        covers = r.covers(port)
        if r.source_groups is None:
            maybe = True
        elif covers and r.source_groups & sources:
            found.append(r.source)
    if found:
        v.ok(sorted(found)[0], f"{what}: ingress on {port} from {sorted(sources)}")
    elif maybe or unknowns or not targets or not sources:
        v.defer(
            what, "cannot follow the security groups: " + "; ".join(unknowns or ["sources unknown"])
        )
    else:
        v.fail(
            ",".join(sorted(targets)),
            f"{what}: no ingress on port {port} from the security groups {sorted(sources)}",
        )


def check(g):
    v = Verdicts(CONTROL)
    alb, u1 = _groups(g, LB_TYPES, "security_groups")
    tasks, u2 = _groups(g, ("aws_ecs_service",), "network_configuration", 0, "security_groups")
    db, u3 = _groups(g, ("aws_db_instance", "aws_rds_cluster"), "vpc_security_group_ids")
    rules = ingress_rules(g)
    if g.of_type("aws_ecs_service"):
        _chain(v, rules, tasks, alb, 8080, "ALB -> tasks", u1 + u2)
    if g.of_type("aws_db_instance", "aws_rds_cluster"):
        _chain(v, rules, db, tasks, 5432, "tasks -> RDS", u2 + u3)
    for r in rules:
        if not r.from_world:
            continue
        allowed = r.group in alb and r.from_port == r.to_port and r.from_port in (80, 443)
        if r.group not in alb or not allowed or str(r.protocol) in ("-1", "all"):
            v.fail(r.source, f"ingress from the internet on {r.ports()} to {r.group}")
        else:
            v.ok(r.source, f"ALB ingress from the internet on {r.ports()} only")
    return v.done("no security group in the plan")
