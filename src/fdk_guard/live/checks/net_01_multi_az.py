from fdk_guard.catalogue import params
from fdk_guard.live.checks import check, judge

CONTROL = "FDK-NET-01"


@check(CONTROL, "the VPC has a public and a private subnet in each of two AZs or more")
def vpc_multi_az_public_private(snap):
    need = params(CONTROL)["min_azs"]
    for vpc in snap.vpcs:
        zones: dict[str, set[str]] = {}
        for subnet in snap.subnets.values():
            if subnet["VpcId"] == vpc["VpcId"]:
                tier = "public" if snap.is_public_subnet(subnet["SubnetId"]) else "private"
                zones.setdefault(subnet["AvailabilityZone"], set()).add(tier)
        full = sorted(z for z, tiers in zones.items() if tiers == {"public", "private"})
        yield judge(
            len(full) >= need,
            vpc["VpcId"],
            f"public and private subnets in {', '.join(full)}",
            f"only {len(full)} AZ(s) with both a public and a private subnet: {zones}",
        )
