"""FDK-NET-06: security groups chain ALB -> tasks (the port the load balancer targets) ->
RDS (the database port); no ingress from 0.0.0.0/0 or ::/0 except the ALB on 80/443.

"The internet" is any source range fdk_guard.internet calls so (0.0.0.0/1 too), from a
rule's CIDRs or the entries of the managed prefix lists it names. A rule into the ALB's
group on 80/443 is allowed whatever its source; elsewhere, sources the plan cannot show (a
prefix list of another root, CIDRs known after apply) are deferred.

Each link is judged from its own source: a service's tasks from the load balancers that
forward to its target groups, the FDK server's database from the server's tasks (the
database its DATABASE__HOST names). Where that cannot be told, any load balancer or any
load-balanced service of the root is taken as the source.
"""

from ._lib import (
    DB_TYPES,
    LB_TYPES,
    SG_TYPES,
    Verdicts,
    _groups,
    as_list,
    fronted,
    ingress_rules,
    is_unknown,
    params,
    server_databases,
    server_fronts,
    show,
    why,
)

CONTROL = "FDK-NET-06"


def _sgs(g, res, value):
    groups = _groups(g, value)
    return groups, (
        f"the security groups of {res.address} ({show(value)})" if groups is None else ""
    )


def _chain(v, rules, target, targets, sources, port, what):
    """Ingress on `port` into `targets` from one of `sources`."""
    found, maybe = [], []
    for r in rules:
        if r.group not in targets and r.group != "?":
            continue
        covers = r.covers(port) if isinstance(port, int) else None
        if r.source_groups is None or covers is None or r.group == "?":
            maybe.append(r.source)
        elif covers and r.source_groups & sources:
            found.append(r.source)
    if found:
        v.ok(target, f"{what}: ingress on {port} from {sorted(sources)} ({sorted(found)[0]})")
    elif maybe:
        v.defer(target, f"{what}: cannot follow the rules of {sorted(set(maybe))}")
    else:
        v.fail(
            target,
            f"{what}: no ingress on port {port} into {sorted(targets)} from {sorted(sources)}",
        )


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    rules = ingress_rules(g)
    if not g.of_type(*SG_TYPES) and not rules:
        return v.done("no security group in this root")
    alb, unknown_alb, lb_groups = set(), [], {}
    for lb in g.of_type(*LB_TYPES):
        groups, reason = _sgs(g, lb, g.value(lb, "security_groups"))
        if groups is None:
            unknown_alb.append(reason)
        alb |= groups or set()
        lb_groups[lb.address] = groups or set()
    fronts = server_fronts(g)
    task_groups, service_groups = set(), {}
    for f in fronted(g):
        svc = f.service
        nc = as_list(g.value(svc, "network_configuration"))
        value = [b.get("security_groups") for b in nc if isinstance(b, dict)]
        groups, reason = _sgs(g, svc, value)
        port = f.container_port
        if groups is None or unknown_alb:
            v.defer(svc, "ALB -> tasks: " + (reason or "; ".join(unknown_alb)))
            continue
        task_groups |= groups
        service_groups[svc.address] = groups
        lbs = fronts.load_balancers_of(f.target_groups)
        sources = set().union(*(lb_groups[a] for a in lbs if a in lb_groups)) if lbs else alb
        if not groups:
            v.fail(svc, "ALB -> tasks: the service sets no security group (the VPC default)")
        elif not isinstance(port, int) or is_unknown(port):
            v.defer(svc, f"ALB -> tasks: container port {show(port)}")
        else:
            _chain(v, rules, svc, groups, sources, port, "ALB -> tasks")
    if fronted(g):
        theirs = server_databases(g)
        for db in g.of_type(*DB_TYPES):
            if theirs.excludes(db):
                v.na(db, "tasks -> database: not the FDK server's database")
                continue
            users = theirs.users.get(db.address, set())
            sources = set().union(*(service_groups.get(u, set()) for u in users)) or task_groups
            groups, reason = _sgs(g, db, g.value(db, "vpc_security_group_ids"))
            port = g.value(db, "port")
            if port is None or (is_unknown(port) and not g.configured(db, "port")):
                port = p["database_port"]  # not set: the engine's default
            if groups is None:
                v.defer(db, f"tasks -> database: {reason}")
            elif not groups:
                v.fail(
                    db, "tasks -> database: the database sets no security group (the VPC default)"
                )
            elif not isinstance(port, int):
                v.defer(db, f"tasks -> database: port {show(port)}")
            else:
                _chain(v, rules, db, groups, sources, port, "tasks -> database")
    allowed = set(p["alb_public_ports"])
    for r in rules:
        single = r.from_port == r.to_port and r.from_port in allowed
        tcp = str(r.protocol).lower() in ("tcp", "6")
        if r.group in alb and single and tcp:  # open to anyone or not, this rule is allowed
            if r.from_world:
                v.ok(r.source, f"ALB ingress from the internet on {r.ports()} only")
            continue
        if r.from_world and r.group != "?":
            world = ", ".join(r.internet)
            v.fail(r.source, f"ingress from the internet ({world}) on {r.ports()} into {r.group}")
        elif r.from_world:
            v.defer(
                r.source,
                f"ingress from the internet on {r.ports()} into a group that cannot be followed",
            )
        elif r.cidrs_unknown:
            unknown = next(c for c in r.cidrs if is_unknown(c))
            v.defer(r.source, f"the source CIDRs of a rule into {r.group}: {why(unknown)}")
        elif r.unseen:
            v.defer(r.source, f"ingress on {r.ports()} into {r.group}: {r.unseen}")
    return v.done("no ingress from the internet and no load-balanced service in this root")
