"""FDK-NET-01: the VPC spans at least two AZs, each with a public and a private subnet."""

from ._lib import Verdicts, is_unknown, network, params

CONTROL = "FDK-NET-01"


def check(g):
    v = Verdicts(CONTROL)
    need = params(CONTROL)["min_azs"]
    net = network(g)
    members: dict[str, list] = {vpc.address: [] for vpc in g.of_type("aws_vpc")}
    lost = []
    for s in g.of_type("aws_subnet"):
        vpcs = g.targets(g.value(s, "vpc_id"), "aws_vpc")
        if vpcs is None:
            lost.append(f"the VPC of {s.address}")
        for vpc in vpcs or []:
            members[vpc.address].append(s)
    for vpc in g.of_type("aws_vpc"):
        public, private, unknowns = set(), set(), list(lost)
        for s in members[vpc.address]:
            az, (tier, reason) = net.az(s), net.tier(s)
            if az is None or is_unknown(az):
                unknowns.append(f"the AZ of {s.address}")
            elif tier is None:
                unknowns.append(reason)
            else:
                (public if tier == "public" else private).add(az)
        both = public & private
        if len(both) >= need:
            v.ok(vpc, f"public and private subnets in {sorted(both)}")
            continue
        problem = (
            f"AZs with both a public and a private subnet: {sorted(both)} (public in "
            f"{sorted(public)}, private in {sorted(private)}); at least {need} needed"
        )
        v.judge(vpc, [] if unknowns else [problem], unknowns, "")
    return v.done("no VPC in this root")
