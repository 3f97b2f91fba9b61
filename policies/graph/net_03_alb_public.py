"""FDK-NET-03: the ALB is internet-facing and lives only in public subnets, in >= 2 AZs.

The ALB is the FDK server's: the one whose listener forwards to the server's target group.
Another ALB of the root (an internal one for other services) is not held to it; while the
server's cannot be told apart, a second ALB's problems are deferred, not failed.
"""

from ._lib import (
    Verdicts,
    application_load_balancers,
    as_list,
    is_unknown,
    network,
    params,
    server_fronts,
    show,
    subnets_of,
)

CONTROL = "FDK-NET-03"


def check(g):
    v = Verdicts(CONTROL)
    need = params(CONTROL)["min_azs"]
    net = network(g)
    fronts = server_fronts(g)
    albs = application_load_balancers(g)
    for lb in albs:
        if fronts.excludes(lb):
            v.na(lb, "not the FDK server's: none of its listeners forwards to the server")
            continue
        problems, unknowns = [], []
        internal = g.value(lb, "internal")
        if is_unknown(internal) and not g.configured(lb, "internal"):
            internal = False  # not set: the provider's default, internet-facing
        if internal is True:
            problems.append("internal = true: not internet-facing")
        elif is_unknown(internal):
            unknowns.append(f"internal = {show(internal)}")
        value = g.value(lb, "subnets")
        if not is_unknown(value) and not value:
            value = [
                m.get("subnet_id")
                for m in as_list(g.value(lb, "subnet_mapping"))
                if isinstance(m, dict)
            ]
        subnets = subnets_of(g, value)
        if subnets is None:
            unknowns.append(f"its subnets cannot be followed ({show(value)})")
        azs = set()
        for s in subnets or []:
            tier, reason = net.tier(s)
            if tier == "private":
                problems.append(f"subnet {s.address} has no route to an internet gateway")
            elif tier is None:
                unknowns.append(reason)
            az = net.az(s)
            if az is None or is_unknown(az):
                unknowns.append(f"the AZ of {s.address}")
            else:
                azs.add(az)
        if subnets is not None and len(azs) < need and not unknowns:
            problems.append(f"its subnets span {sorted(azs)}: fewer than {need} AZs")
        v.judge_subject(
            lb,
            problems,
            unknowns,
            f"internet-facing, in public subnets of {sorted(azs)}",
            theirs=fronts.found,
            several=len(albs) > 1,
            doubt=f"whether it fronts the FDK server cannot be told ({fronts.why})",
        )
    return v.done("no application load balancer in this root")
