"""FDK-NET-04: ECS tasks run only in private subnets with no public IP."""

from ._lib import Network, Verdicts, subnets_of

CONTROL = "FDK-NET-04"


def check(g):
    v = Verdicts(CONTROL)
    net = Network.build(g)
    for svc in g.of_type("aws_ecs_service"):
        problems, unknowns = [], []
        if not svc.block("network_configuration"):
            v.fail(svc, "no network_configuration (awsvpc subnets not set)")
            continue
        if svc.get("network_configuration", 0, "assign_public_ip") is True:
            problems.append("assign_public_ip = true")
        subnets = subnets_of(g, svc, "network_configuration", 0, "subnets")
        if subnets is None or not subnets:
            unknowns.append("its subnets cannot be followed from the plan")
        for s in subnets or []:
            pub = net.is_public(s.address)
            if pub:
                problems.append(f"subnet {s.address} routes to an internet gateway")
            elif pub is None:
                unknowns.append(f"routing of {s.address}")
        v.judge(svc, problems, unknowns, "private subnets, no public IP")
    return v.done("no aws_ecs_service in the plan")
