from fdk_guard.catalogue import params
from fdk_guard.live.checks import Verdict, bad, check, ok
from fdk_guard.live.checks._common import server_fronts

CONTROL = "FDK-NET-03"


@check(CONTROL, "the ALB is internet-facing, only in public subnets, in two AZs or more")
def alb_internet_facing_in_public_subnets(snap):
    need = params(CONTROL)["min_azs"]
    _, theirs = server_fronts(snap)
    for lb in snap.load_balancers:
        arn = lb["LoadBalancerArn"]
        if theirs and arn not in theirs:
            yield Verdict("not_applicable", arn, "not the FDK server's load balancer")
            continue
        zones = lb.get("AvailabilityZones", [])
        private = [z["SubnetId"] for z in zones if not snap.is_public_subnet(z["SubnetId"])]
        azs = {z["ZoneName"] for z in zones}
        if lb.get("Scheme") != "internet-facing":
            yield bad(arn, f"scheme is {lb.get('Scheme')}, not internet-facing")
        elif private:
            yield bad(arn, f"sits in private subnet(s) {private}")
        elif len(azs) < need:
            yield bad(arn, f"spans {len(azs)} AZ(s), fewer than {need}")
        else:
            yield ok(arn, f"internet-facing in public subnets of {sorted(azs)}")
