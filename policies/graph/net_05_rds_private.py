"""FDK-NET-05: every subnet of the RDS subnet group is private; publicly_accessible false."""

from ._lib import DB_TYPES, Verdicts, is_unknown, network, show, subnets_of, unfollowed

CONTROL = "FDK-NET-05"


def _groups(g, db):
    """(subnet groups, reason when they cannot be followed)."""
    value = g.value(db, "db_subnet_group_name")
    if value is None:
        return [], "no db_subnet_group_name: it is placed in the default VPC's public subnets"
    hits = g.targets(value, "aws_db_subnet_group")
    if hits is None:
        if isinstance(value, str):
            return None, f"subnet group {value!r} is not managed by this root"
        return None, f"its subnet group cannot be followed ({show(value)})"
    return hits, ""


def check(g):
    v = Verdicts(CONTROL)
    net = network(g)
    for db in g.of_type(*DB_TYPES):
        problems, unknowns = [], []
        public = g.value(db, "publicly_accessible")
        if public is True:
            problems.append("publicly_accessible = true")
        elif is_unknown(public):
            unknowns.append(f"publicly_accessible = {show(public)}")
        groups, reason = _groups(g, db)
        if groups is None:
            unknowns.append(reason)
        elif not groups and reason:
            problems.append(reason)
        for grp in groups or []:
            ids = g.value(grp, "subnet_ids")
            subnets = subnets_of(g, ids)
            if subnets is None:
                unknowns.append(unfollowed(f"the subnets of {grp.address}", ids))
            for s in subnets or []:
                tier, why = net.tier(s)
                if tier == "public":
                    problems.append(
                        f"subnet {s.address} of {grp.address} routes to an internet gateway"
                    )
                elif tier is None:
                    unknowns.append(why)
        v.judge(db, problems, unknowns, "private subnet group, not publicly accessible")
    for inst in g.of_type("aws_rds_cluster_instance"):
        public = g.value(inst, "publicly_accessible")
        if public is True:
            v.fail(inst, "publicly_accessible = true")
    return v.done("no database in this root")
