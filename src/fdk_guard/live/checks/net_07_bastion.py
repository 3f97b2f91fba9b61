from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import covers_port

CONTROL = "FDK-NET-07"


@check(
    CONTROL,
    "bastion: private, no public IP, no SSH ingress, SSM profile, IMDSv2",
    optional=True,
)
def bastion_ssm_only(snap):
    p = params(CONTROL)
    ssm_policy, ssh = p["ssm_policy"], p["forbidden_port"]
    for inst in snap.instances:
        iid = inst["InstanceId"]
        groups = [
            snap.security_groups.get(g["GroupId"], {}) for g in inst.get("SecurityGroups", [])
        ]
        ssh_open = any(
            covers_port(perm, ssh) for g in groups for perm in g.get("IpPermissions", [])
        )
        profile = (inst.get("IamInstanceProfile") or {}).get("Arn", "").rsplit("/", 1)[-1]
        roles = [r["RoleName"] for r in snap.instance_profiles.get(profile, {}).get("Roles", [])]
        ssm = any(
            ssm_policy in key for r in roles for key in snap.roles.get(r, {}).get("Policies", {})
        )
        if inst.get("PublicIpAddress"):
            yield bad(iid, f"has public IP {inst['PublicIpAddress']}")
        elif snap.is_public_subnet(inst.get("SubnetId", "")):
            yield bad(iid, f"in public subnet {inst.get('SubnetId')}")
        elif ssh_open:
            yield bad(iid, f"a security group allows port {ssh}")
        elif (inst.get("MetadataOptions") or {}).get("HttpTokens") != p["http_tokens"]:
            yield bad(iid, "IMDSv2 not required (HttpTokens != required)")
        elif not ssm:
            yield bad(iid, f"instance profile {profile or 'none'} lacks {ssm_policy}")
        else:
            yield ok(iid, "private, no public IP, no SSH, SSM profile, IMDSv2")
