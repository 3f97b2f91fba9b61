"""FDK-NET-02: private subnets have no route to an internet gateway; their default route
goes to a NAT gateway that sits in a public subnet.

The private subnets are those the workload is placed in (ECS tasks, the database's subnet
group, EC2 instances) and those whose route table defaults to a NAT gateway.
"""

from ._lib import Network, Verdicts, subnets_of

CONTROL = "FDK-NET-02"


def intended_private(g, net) -> dict[str, str]:
    """subnet address -> why it must be private (None refs are skipped: other checks defer)."""
    out: dict[str, str] = {}
    for svc in g.of_type("aws_ecs_service"):
        for s in subnets_of(g, svc, "network_configuration", 0, "subnets") or []:
            out.setdefault(s.address, f"hosts ECS service {svc.address}")
    for grp in g.of_type("aws_db_subnet_group"):
        for s in subnets_of(g, grp, "subnet_ids") or []:
            out.setdefault(s.address, f"in DB subnet group {grp.address}")
    for inst in g.of_type("aws_instance"):
        for s in subnets_of(g, inst, "subnet_id") or []:
            out.setdefault(s.address, f"hosts instance {inst.address}")
    for subnet, tables in net.subnet_tables.items():
        if tables & set(net.nat_default_tables):
            out.setdefault(subnet, "routes its default to a NAT gateway")
    return out


def check(g):
    v = Verdicts(CONTROL)
    net = Network.build(g)
    for subnet, why in sorted(intended_private(g, net).items()):
        tables = net.tables_of(subnet)
        if "?" in tables or tables & net.unknown_tables:
            v.defer(subnet, f"route table of this subnet ({why}) cannot be followed")
            continue
        problems = []
        if tables & net.igw_tables:
            problems.append(f"{why}, but its route table routes to an internet gateway")
        nats = (
            set().union(*(net.nat_default_tables.get(t, set()) for t in tables))
            if tables
            else set()
        )
        if not nats:
            problems.append(f"{why}, but its default route does not go to a NAT gateway")
        for nat in sorted(nats):
            res = g.resources.get(nat)
            placed = subnets_of(g, res, "subnet_id") if res else None
            if placed is None:
                v.defer(nat, "subnet of the NAT gateway cannot be followed")
                continue
            private_nat = [s.address for s in placed if net.is_public(s.address) is False]
            if private_nat or not placed:
                problems.append(f"NAT gateway {nat} sits in non-public subnet(s) {private_nat}")
        v.judge(subnet, problems, [], f"{why}; default route via NAT {sorted(nats)}, no IGW route")
    return v.done("no private subnet found (no ECS service, DB subnet group or NAT route)")
