"""FDK-NET-01: the VPC spans at least two AZs, each with a public and a private subnet."""

from ._lib import Network, Verdicts, is_unknown

CONTROL = "FDK-NET-01"


def check(g):
    v = Verdicts(CONTROL)
    net = Network.build(g)
    for vpc in g.of_type("aws_vpc"):
        public, private, unknowns = set(), set(), []
        for s in g.of_type("aws_subnet"):
            if vpc.address not in (g.refs(s, "vpc_id") or set()):
                continue
            az, pub = net.az(s.address), net.is_public(s.address)
            if is_unknown(az) or az is None or pub is None:
                unknowns.append(f"AZ or routing of {s.address}")
                continue
            (public if pub else private).add(az)
        both = public & private
        problems = []
        if len(both) < 2 and not unknowns:
            problems.append(
                f"AZs with both a public and a private subnet: {sorted(both)} (public in "
                f"{sorted(public)}, private in {sorted(private)}); at least two needed"
            )
        v.judge(
            vpc, problems, unknowns if len(both) < 2 else [], f"public+private in {sorted(both)}"
        )
    return v.done("no aws_vpc in the plan")
