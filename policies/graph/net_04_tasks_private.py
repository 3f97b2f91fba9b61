"""FDK-NET-04: ECS tasks run only in private subnets with no public IP."""

from ._lib import Verdicts, as_list, is_unknown, network, show, subnets_of

CONTROL = "FDK-NET-04"


def check(g):
    v = Verdicts(CONTROL)
    net = network(g)
    for svc in g.of_type("aws_ecs_service"):
        blocks = g.value(svc, "network_configuration")
        if is_unknown(blocks):
            v.defer(svc, f"its network configuration: {show(blocks)}")
            continue
        if not as_list(blocks):
            v.fail(svc, "no network_configuration: tasks do not run in awsvpc subnets of their own")
            continue
        problems, unknowns = [], []
        for block in as_list(blocks):
            public_ip = block.get("assign_public_ip")
            if public_ip is True:
                problems.append("assign_public_ip = true")
            elif is_unknown(public_ip):
                unknowns.append(f"assign_public_ip = {show(public_ip)}")
            subnets = subnets_of(g, block.get("subnets"))
            if subnets is None:
                unknowns.append(f"its subnets cannot be followed ({show(block.get('subnets'))})")
            elif not subnets:
                problems.append("no subnets")
            for s in subnets or []:
                tier, reason = net.tier(s)
                if tier == "public":
                    problems.append(f"subnet {s.address} routes to an internet gateway")
                elif tier is None:
                    unknowns.append(reason)
        v.judge(svc, problems, unknowns, "private subnets, no public IP")
    return v.done("no ECS service in this root")
