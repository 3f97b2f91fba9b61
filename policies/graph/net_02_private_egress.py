"""FDK-NET-02: private subnets have no route to an internet gateway; their default route
goes to a NAT gateway that sits in a public subnet.

The private subnets are those whose route table defaults to a NAT gateway, and those the
workload is placed in (ECS tasks, the database's subnet group, EC2 instances) that have no
internet-gateway route. A workload placed in a public subnet is its own control's failure
(FDK-NET-04, NET-05, NET-07), not a private subnet gone wrong. Subnets that host only the
database may have no egress at all (isolated): they need no NAT route.
"""

from ._lib import DB_TYPES, LB_TYPES, Verdicts, as_list, network, subnets_of, unfollowed

CONTROL = "FDK-NET-02"


def _placed(g) -> tuple[dict, dict, list]:
    """({subnet: why it is private}, {subnet: needs NAT egress}, reasons for lost ones)."""
    why_private, egress, lost = {}, {}, []
    for svc in g.of_type("aws_ecs_service"):
        nc = as_list(g.value(svc, "network_configuration"))
        for block in nc:
            ids = block.get("subnets") if isinstance(block, dict) else None
            subnets = subnets_of(g, ids)
            if subnets is None:
                lost.append(unfollowed(f"the subnets of {svc.address}", ids))
            for s in subnets or []:
                why_private.setdefault(s.address, f"hosts ECS service {svc.address}")
                egress[s.address] = True
    for grp in g.of_type("aws_db_subnet_group"):
        ids = g.value(grp, "subnet_ids")
        subnets = subnets_of(g, ids)
        if subnets is None:
            lost.append(unfollowed(f"the subnets of {grp.address}", ids))
        for s in subnets or []:
            why_private.setdefault(s.address, f"in DB subnet group {grp.address}")
            egress.setdefault(s.address, False)
    for inst in g.of_type("aws_instance"):
        subnets = subnets_of(g, g.value(inst, "subnet_id"))
        for s in subnets or []:
            why_private.setdefault(s.address, f"hosts instance {inst.address}")
            egress[s.address] = True
    net = network(g)
    for s in g.of_type("aws_subnet"):
        if net.nats_of(s):
            why_private.setdefault(s.address, "routes its default to a NAT gateway")
            egress[s.address] = True
    return why_private, egress, lost


def _public_tier(g, net) -> set[str]:
    """Route tables of the public tier: those of the subnets NAT gateways and internet-
    facing load balancers sit in. A workload placed in one of these is in a public subnet
    (its own control fails); one whose subnet routes to the internet through another table
    is in a private subnet gone public (this control fails)."""
    tables: set[str] = set()
    placed = []
    for nat in g.of_type("aws_nat_gateway"):
        placed += subnets_of(g, g.value(nat, "subnet_id")) or []
    for lb in g.of_type(*LB_TYPES):
        placed += subnets_of(g, g.value(lb, "subnets")) or []
    for s in placed:
        tables |= net.tables_of(s) or set()
    return tables


def check(g):
    v = Verdicts(CONTROL)
    net = network(g)
    why_private, egress, lost = _placed(g)
    public_tier = _public_tier(g, net)
    if not why_private and g.of_type(*DB_TYPES, "aws_ecs_service") and lost:
        v.defer("(root)", "; ".join(lost))
    for address in sorted(why_private):
        s = g.resources[address]
        reason = why_private[address]
        tier, detail = net.tier(s)
        if tier is None:
            v.defer(s, f"{reason}; {detail}")
            continue
        if tier == "public" and not net.nats_of(s) and net.tables_of(s) & public_tier:
            continue  # a subnet of the public tier: its workload's own control judges it
        problems, unknowns = [], []
        if tier == "public":
            problems.append(f"{reason}, but its route table routes to an internet gateway")
        nats = net.nats_of(s)
        if egress.get(address) and not nats:
            problems.append(f"{reason}, but its default route does not go to a NAT gateway")
        for nat in sorted(n for n in nats if n in g.resources):
            placed = subnets_of(g, g.value(g.resources[nat], "subnet_id"))
            if not placed:
                unknowns.append(f"the subnet of NAT gateway {nat}")
                continue
            for p in placed:
                ptier, pwhy = net.tier(p)
                if ptier is None:
                    unknowns.append(pwhy)
                elif ptier == "private":
                    problems.append(f"NAT gateway {nat} sits in non-public subnet {p.address}")
        via = f"default route via {sorted(nats)}" if nats else "no egress"
        v.judge(s, problems, unknowns, f"{reason}; {via}, no internet gateway route")
    return v.done("no private subnet in this root (no ECS service, database or NAT route)")
