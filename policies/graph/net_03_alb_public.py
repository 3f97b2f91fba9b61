"""FDK-NET-03: the ALB is internet-facing and lives only in public subnets, in >= 2 AZs."""

from ._lib import LB_TYPES, Network, Verdicts, is_unknown, subnets_of

CONTROL = "FDK-NET-03"


def check(g):
    v = Verdicts(CONTROL)
    net = Network.build(g)
    for lb in g.of_type(*LB_TYPES):
        if lb.get("load_balancer_type", default="application") != "application":
            continue
        problems, unknowns = [], []
        if lb.get("internal") is not False:
            problems.append(f"internal = {lb.get('internal')!r}: not internet-facing")
        subnets = subnets_of(g, lb, "subnets")
        if not subnets:
            mappings = lb.block("subnet_mapping")
            subnets = []
            for i, _ in enumerate(mappings):
                subnets += subnets_of(g, lb, "subnet_mapping", i, "subnet_id") or []
        if not subnets:
            unknowns.append("its subnets cannot be followed from the plan")
        azs = set()
        for s in subnets:
            pub = net.is_public(s.address)
            if pub is False:
                problems.append(f"subnet {s.address} has no route to an internet gateway")
            elif pub is None:
                unknowns.append(f"routing of {s.address}")
            az = net.az(s.address)
            if is_unknown(az) or az is None:
                unknowns.append(f"AZ of {s.address}")
            else:
                azs.add(az)
        if subnets and len(azs) < 2 and not unknowns:
            problems.append(f"subnets span {sorted(azs)}: fewer than two AZs")
        v.judge(lb, problems, unknowns, f"internet-facing in public subnets of {sorted(azs)}")
    return v.done("no application load balancer in the plan")
