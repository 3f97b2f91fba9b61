from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import covers_port

SSM_POLICY = "AmazonSSMManagedInstanceCore"


@check(
    "FDK-NET-07",
    "bastion: private, no public IP, no SSH ingress, SSM profile, IMDSv2",
    optional=True,
)
def bastion_ssm_only(snap):
    for inst in snap.instances:
        iid = inst["InstanceId"]
        groups = [
            snap.security_groups.get(g["GroupId"], {}) for g in inst.get("SecurityGroups", [])
        ]
        ssh = any(covers_port(p, 22) for g in groups for p in g.get("IpPermissions", []))
        profile = (inst.get("IamInstanceProfile") or {}).get("Arn", "").rsplit("/", 1)[-1]
        roles = [r["RoleName"] for r in snap.instance_profiles.get(profile, {}).get("Roles", [])]
        ssm = any(
            SSM_POLICY in key for r in roles for key in snap.roles.get(r, {}).get("Policies", {})
        )
        if inst.get("PublicIpAddress"):
            yield bad(iid, f"has public IP {inst['PublicIpAddress']}")
        elif snap.is_public_subnet(inst.get("SubnetId", "")):
            yield bad(iid, f"in public subnet {inst.get('SubnetId')}")
        elif ssh:
            yield bad(iid, "a security group allows port 22")
        elif (inst.get("MetadataOptions") or {}).get("HttpTokens") != "required":
            yield bad(iid, "IMDSv2 not required (HttpTokens != required)")
        elif not ssm:
            yield bad(iid, f"instance profile {profile or 'none'} lacks {SSM_POLICY}")
        else:
            yield ok(iid, "private, no public IP, no SSH, SSM profile, IMDSv2")
