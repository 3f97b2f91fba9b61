"""FDK-NET-05: every subnet of the RDS subnet group is private; publicly_accessible false."""

from ._lib import Network, Verdicts, subnets_of

CONTROL = "FDK-NET-05"


def check(g):
    v = Verdicts(CONTROL)
    net = Network.build(g)
    for db in g.of_type("aws_db_instance", "aws_rds_cluster"):
        problems, unknowns = [], []
        if db.get("publicly_accessible", default=False) is True:
            problems.append("publicly_accessible = true")
        groups = [
            r
            for r in g.ref_resources(db, "db_subnet_group_name") or []
            if r.type == "aws_db_subnet_group"
        ]
        if not groups:
            unknowns.append("its DB subnet group cannot be followed from the plan")
        for grp in groups:
            subnets = subnets_of(g, grp, "subnet_ids")
            if not subnets:
                unknowns.append(f"subnets of {grp.address}")
            for s in subnets or []:
                pub = net.is_public(s.address)
                if pub:
                    problems.append(
                        f"subnet {s.address} of {grp.address} routes to an internet gateway"
                    )
                elif pub is None:
                    unknowns.append(f"routing of {s.address}")
        v.judge(db, problems, unknowns, "private subnet group, not publicly accessible")
    return v.done("no RDS instance in the plan")
