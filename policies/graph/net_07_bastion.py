"""FDK-NET-07: the bastion (when enabled): private subnet, no public IP, no port 22
ingress, an SSM instance profile, IMDSv2 required. Every EC2 instance is held to it."""

from ._lib import Network, Verdicts, subnets_of
from ._sg import ingress_rules

CONTROL = "FDK-NET-07"
SSM_POLICY = "AmazonSSMManagedInstanceCore"


def _has_ssm(g, inst) -> bool | None:
    profiles = [
        r
        for r in g.ref_resources(inst, "iam_instance_profile") or []
        if r.type == "aws_iam_instance_profile"
    ]
    if not profiles:
        return None if inst.expression("iam_instance_profile") else False
    for prof in profiles:
        roles = [r for r in g.ref_resources(prof, "role") or [] if r.type == "aws_iam_role"]
        for role in roles:
            for att in g.of_type("aws_iam_role_policy_attachment"):
                if role.address in (g.refs(att, "role") or set()):
                    arn = att.get("policy_arn")
                    if isinstance(arn, str) and arn.endswith("/" + SSM_POLICY):
                        return True
            for arn in role.known("managed_policy_arns", default=[]):
                if isinstance(arn, str) and arn.endswith("/" + SSM_POLICY):
                    return True
    return False


def check(g):
    v = Verdicts(CONTROL)
    net = Network.build(g)
    rules = ingress_rules(g)
    instances = g.of_type("aws_instance")
    if not instances:
        v.na("(root)", "no EC2 instance (bastion disabled)")
        return v.done()
    for inst in instances:
        problems, unknowns = [], []
        if inst.get("associate_public_ip_address") is True:
            problems.append("associate_public_ip_address = true")
        subnets = subnets_of(g, inst, "subnet_id")
        if not subnets:
            unknowns.append("its subnet cannot be followed")
        for s in subnets or []:
            pub = net.is_public(s.address)
            if pub:
                problems.append(f"subnet {s.address} routes to an internet gateway")
            elif pub is None:
                unknowns.append(f"routing of {s.address}")
        tokens = inst.get("metadata_options", 0, "http_tokens")
        if tokens != "required":
            problems.append(f"metadata_options.http_tokens = {tokens!r} (IMDSv2 not required)")
        ssm = _has_ssm(g, inst)
        if ssm is False:
            problems.append(f"no instance profile with {SSM_POLICY}")
        elif ssm is None:
            unknowns.append("its instance profile's policies")
        groups = g.ref_resources(inst, "vpc_security_group_ids") or []
        groups = {r.address for r in groups if r.type == "aws_security_group"}
        for r in rules:
            if r.group in groups and r.covers(22):
                problems.append(f"port 22 ingress in {r.source}")
        v.judge(inst, problems, unknowns, "private, no public IP, SSM profile, IMDSv2, no SSH")
    return v.done()
