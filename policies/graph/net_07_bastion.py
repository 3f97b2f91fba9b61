"""FDK-NET-07: the bastion (when enabled): private subnet, no public IP, no port 22
ingress, an SSM instance profile, IMDSv2 required. Every EC2 instance is held to it; the
instances of an Auto Scaling group (launch templates) are not read: deferred, never absent."""

from ._lib import (
    Verdicts,
    _groups,
    as_list,
    attached_arn,
    ingress_rules,
    is_unknown,
    network,
    params,
    role_policies,
    show,
    subnets_of,
)

CONTROL = "FDK-NET-07"


def _ssm(g, inst, policy) -> tuple[bool | None, str]:
    value = g.value(inst, "iam_instance_profile")
    if value is None:
        return False, "no instance profile"
    profiles = g.targets(value, "aws_iam_instance_profile")
    if not profiles:
        return None, f"its instance profile cannot be followed ({show(value)})"
    for prof in profiles:
        roles = g.targets(g.value(prof, "role"), "aws_iam_role")
        if roles is None:
            return None, f"the role of {prof.address} cannot be followed"
        for role in roles:
            attached, _ = role_policies(g, role)
            arns = [attached_arn(g, res, attr) for res, attr in attached]
            arns = [a for a in arns if isinstance(a, str)]
            if any(a.endswith("/" + policy) for a in arns):
                return True, ""
    return False, f"no role of its instance profile has {policy}"


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    net = network(g)
    rules = ingress_rules(g)
    for inst in g.of_type("aws_instance"):
        problems, unknowns = [], []
        subnets = subnets_of(g, g.value(inst, "subnet_id"))
        if subnets is None:
            unknowns.append(f"its subnet cannot be followed ({show(g.value(inst, 'subnet_id'))})")
        public_ip = g.value(inst, "associate_public_ip_address")
        if is_unknown(public_ip) and not g.configured(inst, "associate_public_ip_address"):
            public_ip = None  # not set: the subnet's map_public_ip_on_launch decides
        if public_ip is True:
            problems.append("associate_public_ip_address = true")
        for s in subnets or []:
            tier, reason = net.tier(s)
            if tier == "public":
                problems.append(f"subnet {s.address} routes to an internet gateway")
            elif tier is None:
                unknowns.append(reason)
            if public_ip is None and g.value(s, "map_public_ip_on_launch") is True:
                problems.append(f"subnet {s.address} gives instances a public IP")
        if is_unknown(public_ip):
            unknowns.append(f"associate_public_ip_address = {show(public_ip)}")
        tokens = None
        for block in as_list(g.value(inst, "metadata_options")):
            tokens = block.get("http_tokens") if isinstance(block, dict) else None
        if is_unknown(tokens):
            unknowns.append(f"metadata_options.http_tokens = {show(tokens)}")
        elif tokens != p["http_tokens"]:
            problems.append(f"metadata_options.http_tokens = {tokens!r} (IMDSv2 not required)")
        ssm, reason = _ssm(g, inst, p["ssm_policy"])
        if ssm is False:
            problems.append(reason)
        elif ssm is None:
            unknowns.append(reason)
        groups = _groups(g, g.value(inst, "vpc_security_group_ids"))
        if groups is None:
            unknowns.append("its security groups cannot be followed")
        for r in rules:
            if r.group in (groups or set()):
                covers = r.covers(p["forbidden_port"])
                if covers:
                    problems.append(f"port {p['forbidden_port']} ingress in {r.source}")
                elif covers is None:
                    unknowns.append(f"the ports of {r.source}")
        v.judge(inst, problems, unknowns, "private, no public IP, SSM profile, IMDSv2, no SSH")
    for group in g.of_type("aws_autoscaling_group"):  # instances from a launch template
        v.defer(
            group, "the instances of an Auto Scaling group (their launch template) are not read"
        )
    return v.done("no EC2 instance in this root (bastion disabled)")
