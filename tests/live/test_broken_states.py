"""Every live check fails, with its control ID, on a deployment broken in one place, and
passes on the good one. The world is built once; each mutation is undone after its test."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from . import world as W
from .conftest import judge


@dataclass(frozen=True)
class Mutation:
    control: str
    name: str
    apply: Callable
    undo: Callable
    expect: str  # a fragment of the failing finding's message

    def __str__(self) -> str:
        return f"{self.control}-{self.name}"


def _route(w, table, **target):
    w.client("ec2").replace_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", **target)


def _sg(w, group, port, revoke=False, cidr=None, source=None, prefix_list=None):
    perm = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
    if cidr:
        perm["IpRanges"] = [{"CidrIp": cidr}]
    if source:
        perm["UserIdGroupPairs"] = [{"GroupId": w.ids[source]}]
    if prefix_list:
        perm["PrefixListIds"] = [{"PrefixListId": _prefix_list(w, prefix_list)}]
    call = "revoke_security_group_ingress" if revoke else "authorize_security_group_ingress"
    getattr(w.client("ec2"), call)(GroupId=w.ids[group], IpPermissions=[perm])


def _prefix_list(w, cidr: str) -> str:
    """A managed prefix list holding `cidr` (made once per world)."""
    key = f"prefix_list {cidr}"
    if key not in w.ids:
        w.ids[key] = w.client("ec2").create_managed_prefix_list(
            PrefixListName="anyone", AddressFamily="IPv4", MaxEntries=5, Entries=[{"Cidr": cidr}]
        )["PrefixList"]["PrefixListId"]
    return w.ids[key]


def _service_net(w, subnets: str, public_ip: str) -> None:
    """Put the server's tasks in the `subnets` tier, with or without a public IP."""
    w.client("ecs").update_service(
        cluster=W.NAME,
        service=f"{W.NAME}-server",
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": w.ids[subnets],
                "securityGroups": [w.ids["sg_tasks"]],
                "assignPublicIp": public_ip,
            }
        },
    )


def _db(w, **changes):
    w.client("rds").modify_db_instance(
        DBInstanceIdentifier=w.ids["db"], ApplyImmediately=True, **changes
    )


def _task(w, server=None, **overrides):
    """Deploy a new task definition revision built from the good one with changes."""
    ecs = w.client("ecs")
    td = ecs.register_task_definition(**W.server_task_definition(w.ids, server=server, **overrides))
    ecs.update_service(
        cluster=W.NAME,
        service=f"{W.NAME}-server",
        taskDefinition=td["taskDefinition"]["taskDefinitionArn"],
    )


def _task_back(w):
    w.client("ecs").update_service(
        cluster=W.NAME, service=f"{W.NAME}-server", taskDefinition=w.ids["td"]
    )


def _env_without(w, name, **replace):
    env = W.server_task_definition(w.ids)["containerDefinitions"][0]["environment"]
    env = [e for e in env if e["name"] != name] + [
        {"name": k, "value": v} for k, v in replace.items()
    ]
    return {"environment": env}


def _listener(w, key, **changes):
    w.client("elbv2").modify_listener(ListenerArn=w.ids[key], **changes)


REDIRECT = [
    {
        "Type": "redirect",
        "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
    }
]


def _distribution(w, **overrides):
    cf = w.client("cloudfront", "us-east-1")
    got = cf.get_distribution_config(Id=w.ids["dist"])
    config = got["DistributionConfig"]
    for key, value in overrides.items():
        config[key] = {**config[key], **value} if isinstance(value, dict) else value
    cf.update_distribution(Id=w.ids["dist"], IfMatch=got["ETag"], DistributionConfig=config)


def _headers(w, items):
    cf = w.client("cloudfront", "us-east-1")
    got = cf.get_response_headers_policy(Id=w.ids["headers_policy"])
    config = got["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]
    config["CustomHeadersConfig"] = {"Quantity": len(items), "Items": items}
    cf.update_response_headers_policy(
        Id=w.ids["headers_policy"], IfMatch=got["ETag"], ResponseHeadersPolicyConfig=config
    )


GOOD_HEADERS = [
    {"Header": "Cross-Origin-Embedder-Policy", "Value": "require-corp", "Override": True},
    {"Header": "Cross-Origin-Opener-Policy", "Value": "same-origin", "Override": True},
]


def _record(w, action, name, rtype="A"):
    r53 = w.client("route53")
    rec = (
        next(
            r
            for r in r53.list_resource_record_sets(HostedZoneId=w.ids["zone"])["ResourceRecordSets"]
            if r["Name"].rstrip(".") == name.rstrip(".") and r["Type"] == rtype
        )
        if action == "DELETE"
        else w.ids.pop(f"saved:{name}")
    )
    if action == "DELETE":
        w.ids[f"saved:{name}"] = rec
    r53.change_resource_record_sets(
        HostedZoneId=w.ids["zone"],
        ChangeBatch={"Changes": [{"Action": action, "ResourceRecordSet": rec}]},
    )


def _validation_record(w):
    acm = w.client("acm")
    opts = acm.describe_certificate(CertificateArn=w.ids["cert"])["Certificate"][
        "DomainValidationOptions"
    ]
    return opts[0]["ResourceRecord"]["Name"]


def _policy(w, kind, name, doc=None):
    iam = w.client("iam")
    key = {"user": "UserName", "role": "RoleName"}[kind]
    if doc is None:
        getattr(iam, f"delete_{kind}_policy")(**{key: name, "PolicyName": "broken"})
    else:
        getattr(iam, f"put_{kind}_policy")(
            **{key: name, "PolicyName": "broken", "PolicyDocument": json.dumps(doc)}
        )


def _group_policy(w, user, doc=None):
    """A group of `user` with a managed policy `doc` attached; None removes them."""
    iam = w.client("iam")
    if doc is None:
        arn = w.ids.pop("saved:group-policy")
        iam.detach_group_policy(GroupName="deployers", PolicyArn=arn)
        iam.remove_user_from_group(GroupName="deployers", UserName=user)
        iam.delete_group(GroupName="deployers")
        iam.delete_policy(PolicyArn=arn)
        return
    arn = iam.create_policy(PolicyName="deployers", PolicyDocument=json.dumps(doc))["Policy"]["Arn"]
    iam.create_group(GroupName="deployers")
    iam.attach_group_policy(GroupName="deployers", PolicyArn=arn)
    iam.add_user_to_group(GroupName="deployers", UserName=user)
    w.ids["saved:group-policy"] = arn


def _allow(action, resource):
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}],
    }


def _trust(w, role, doc):
    w.client("iam").update_assume_role_policy(RoleName=role, PolicyDocument=doc)


def _bucket(w, call, **kwargs):
    getattr(w.client("s3"), call)(Bucket=w.ids["bucket"], **kwargs)


PAB = {
    k: True
    for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
}
GOOD_CORS = {
    "CORSRules": [
        {
            "AllowedMethods": ["GET", "HEAD"],
            "AllowedOrigins": [f"https://{h}" for h in W.WASM_HOSTS],
        }
    ]
}
SSM_PARAMETER = f"arn:aws:ssm:{W.REGION}:123456789012:parameter/registry"
SERVER_ROLE, EXEC_ROLE, GH_ROLE = f"{W.NAME}-task", f"{W.NAME}-execution", f"{W.NAME}-github-deploy"

MUTATIONS = [
    Mutation(
        "FDK-NET-01",
        "private-subnet-b-made-public",
        lambda w: _route(w, w.ids["private_rt"][1], GatewayId=w.ids["igw"]),
        lambda w: _route(w, w.ids["private_rt"][1], NatGatewayId=w.ids["nat"]),
        "AZ(s)",
    ),
    Mutation(
        "FDK-NET-02",
        "private-subnet-without-nat",
        lambda w: w.client("ec2").delete_route(
            RouteTableId=w.ids["private_rt"][0], DestinationCidrBlock="0.0.0.0/0"
        ),
        lambda w: w.client("ec2").create_route(
            RouteTableId=w.ids["private_rt"][0],
            DestinationCidrBlock="0.0.0.0/0",
            NatGatewayId=w.ids["nat"],
        ),
        "not a NAT gateway",
    ),
    Mutation(
        "FDK-NET-03",
        "alb-in-private-subnets",
        lambda w: w.client("elbv2").set_subnets(
            LoadBalancerArn=w.ids["alb"], Subnets=w.ids["private"]
        ),
        lambda w: w.client("elbv2").set_subnets(
            LoadBalancerArn=w.ids["alb"], Subnets=w.ids["public"]
        ),
        "private subnet",
    ),
    Mutation(
        "FDK-NET-04",
        "task-public-ip",
        lambda w: _service_net(w, "private", "ENABLED"),
        lambda w: _service_net(w, "private", "DISABLED"),
        "assignPublicIp",
    ),
    Mutation(
        "FDK-NET-04",
        "task-in-public-subnet",
        lambda w: _service_net(w, "public", "DISABLED"),
        lambda w: _service_net(w, "private", "DISABLED"),
        "public subnet",
    ),
    Mutation(
        "FDK-NET-05",
        "public-database",
        lambda w: _db(w, PubliclyAccessible=True),
        lambda w: _db(w, PubliclyAccessible=False),
        "PubliclyAccessible",
    ),
    Mutation(
        "FDK-NET-06",
        "database-open-to-internet",
        lambda w: _sg(w, "sg_db", 5432, cidr="0.0.0.0/0"),
        lambda w: _sg(w, "sg_db", 5432, cidr="0.0.0.0/0", revoke=True),
        "from 0.0.0.0/0",
    ),
    Mutation(
        "FDK-NET-06",
        "tasks-open-to-half-the-internet",
        lambda w: _sg(w, "sg_tasks", 8080, cidr="0.0.0.0/1"),
        lambda w: _sg(w, "sg_tasks", 8080, cidr="0.0.0.0/1", revoke=True),
        "from 0.0.0.0/1",
    ),
    Mutation(
        "FDK-NET-06",
        "tasks-open-to-a-prefix-list-of-everyone",
        lambda w: _sg(w, "sg_tasks", 8080, prefix_list="0.0.0.0/0"),
        lambda w: _sg(w, "sg_tasks", 8080, prefix_list="0.0.0.0/0", revoke=True),
        "from 0.0.0.0/0",
    ),
    Mutation(
        "FDK-NET-06",
        "tasks-not-reachable-from-alb",
        lambda w: _sg(w, "sg_tasks", 8080, source="sg_alb", revoke=True),
        lambda w: _sg(w, "sg_tasks", 8080, source="sg_alb"),
        "no 8080 ingress",
    ),
    Mutation(
        "FDK-NET-07",
        "bastion-ssh",
        lambda w: _sg(w, "sg_bastion", 22, cidr="10.0.0.0/16"),
        lambda w: _sg(w, "sg_bastion", 22, cidr="10.0.0.0/16", revoke=True),
        "port 22",
    ),
    Mutation(
        "FDK-NET-07",
        "bastion-imdsv1",
        lambda w: w.client("ec2").modify_instance_metadata_options(
            InstanceId=w.ids["bastion"], HttpTokens="optional"
        ),
        lambda w: w.client("ec2").modify_instance_metadata_options(
            InstanceId=w.ids["bastion"], HttpTokens="required"
        ),
        "IMDSv2",
    ),
    Mutation(
        "FDK-DATA-01",
        "key-rotation-off",
        lambda w: w.client("kms").disable_key_rotation(KeyId=w.ids["kms"]),
        lambda w: w.client("kms").enable_key_rotation(KeyId=w.ids["kms"]),
        "does not rotate",
    ),
    Mutation(
        "FDK-DATA-02",
        "password-in-environment",
        lambda w: _task(
            w,
            server={**_env_without(w, "X", DATABASE__AUTH__PASSWORD="hunter2"), "secrets": []},  # noqa: S106
        ),
        _task_back,
        "plain environment",
    ),
    Mutation(
        "FDK-DATA-02",
        "password-in-a-database-url",
        lambda w: _task(
            w, server=_env_without(w, "X", DATABASE_URL="postgres://fdk:hunter2@db:5432/fdk")
        ),
        _task_back,
        "DATABASE_URL",
    ),
    Mutation(
        "FDK-DATA-03",
        "postgres-14",
        lambda w: _db(w, EngineVersion="14.10"),
        lambda w: _db(w, EngineVersion="15.7"),
        "expected postgres/aurora-postgresql 15+",
    ),
    Mutation(
        "FDK-DATA-04",
        "no-public-access-block",
        lambda w: _bucket(w, "delete_public_access_block"),
        lambda w: _bucket(w, "put_public_access_block", PublicAccessBlockConfiguration=PAB),
        "public access block off",
    ),
    Mutation(
        "FDK-DATA-05",
        "bucket-policy-public",
        lambda w: _bucket(
            w,
            "put_bucket_policy",
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "s3:GetObject",
                            "Resource": f"arn:aws:s3:::{w.ids['bucket']}/*",
                        }
                    ],
                }
            ),
        ),
        lambda w: _bucket(
            w,
            "put_bucket_policy",
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudfront.amazonaws.com"},
                            "Action": "s3:GetObject",
                            "Resource": f"arn:aws:s3:::{w.ids['bucket']}/*",
                            "Condition": {"StringEquals": {"AWS:SourceArn": w.ids["dist_arn"]}},
                        }
                    ],
                }
            ),
        ),
        "grants to *",
    ),
    Mutation(
        "FDK-DATA-06",
        "cors-star",
        lambda w: _bucket(
            w,
            "put_bucket_cors",
            CORSConfiguration={"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]},
        ),
        lambda w: _bucket(w, "put_bucket_cors", CORSConfiguration=GOOD_CORS),
        "outside",
    ),
    Mutation(
        "FDK-DATA-07",
        "server-reaches-every-bucket",
        lambda w: _policy(w, "role", SERVER_ROLE, _allow("s3:*", "*")),
        lambda w: _policy(w, "role", SERVER_ROLE),
        "S3 access outside",
    ),
    Mutation(
        "FDK-DATA-07",
        "server-reaches-every-bucket-but-one",
        lambda w: _policy(
            w,
            "role",
            SERVER_ROLE,
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::audit"}
                ],
            },
        ),
        lambda w: _policy(w, "role", SERVER_ROLE),
        "NotAction/NotResource",
    ),
    Mutation(
        "FDK-DATA-08",
        "ssl-mode-disable",
        lambda w: _task(
            w, server=_env_without(w, "DATABASE__SSL_MODE", DATABASE__SSL_MODE="disable")
        ),
        _task_back,
        "DATABASE__SSL_MODE=disable",
    ),
    Mutation(
        "FDK-TLS-01",
        "http-listener-forwards",
        lambda w: _listener(
            w, "http", DefaultActions=[{"Type": "forward", "TargetGroupArn": w.ids["tg"]}]
        ),
        lambda w: _listener(w, "http", DefaultActions=REDIRECT),
        "not a redirect",
    ),
    Mutation(
        "FDK-TLS-01",
        "redirect-302",
        lambda w: _listener(
            w,
            "http",
            DefaultActions=[
                {
                    "Type": "redirect",
                    "RedirectConfig": {
                        "Protocol": "HTTPS",
                        "Port": "443",
                        "StatusCode": "HTTP_302",
                    },
                }
            ],
        ),
        lambda w: _listener(w, "http", DefaultActions=REDIRECT),
        "HTTP_302",
    ),
    Mutation(
        "FDK-TLS-02",
        "tls10-policy",
        lambda w: _listener(w, "https", SslPolicy="ELBSecurityPolicy-2016-08"),
        lambda w: _listener(w, "https", SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06"),
        "below 1.2",
    ),
    Mutation(
        "FDK-TLS-03",
        "validation-record-missing",
        lambda w: _record(w, "DELETE", _validation_record(w), "CNAME"),
        lambda w: _record(w, "CREATE", _validation_record(w), "CNAME"),
        "missing from the zone",
    ),
    Mutation(
        "FDK-TLS-04",
        "viewer-allow-all",
        lambda w: _distribution(w, DefaultCacheBehavior={"ViewerProtocolPolicy": "allow-all"}),
        lambda w: _distribution(
            w, DefaultCacheBehavior={"ViewerProtocolPolicy": "redirect-to-https"}
        ),
        "plain HTTP",
    ),
    Mutation(
        "FDK-WEB-01",
        "headers-policy-without-coep",
        lambda w: _headers(w, GOOD_HEADERS[1:]),
        lambda w: _headers(w, GOOD_HEADERS),
        "cross-origin-embedder-policy",
    ),
    Mutation(
        "FDK-WEB-02",
        "wasm-alias-without-record",
        lambda w: _record(w, "DELETE", W.WASM_HOSTS[1]),
        lambda w: _record(w, "CREATE", W.WASM_HOSTS[1]),
        "no DNS record",
    ),
    Mutation(
        "FDK-ECS-01",
        "ec2-bridge-task",
        lambda w: _task(w, requiresCompatibilities=["EC2"], networkMode="bridge"),
        _task_back,
        "FARGATE",
    ),
    Mutation(
        "FDK-ECS-02",
        "health-check-root",
        lambda w: w.client("elbv2").modify_target_group(
            TargetGroupArn=w.ids["tg"], HealthCheckPath="/"
        ),
        lambda w: w.client("elbv2").modify_target_group(
            TargetGroupArn=w.ids["tg"], HealthCheckPath="/healthz"
        ),
        "expected /healthz",
    ),
    Mutation(
        "FDK-ECS-03",
        "no-auth-issuer",
        lambda w: _task(w, server=_env_without(w, "AUTH__ISSUER")),
        _task_back,
        "AUTH__ISSUER",
    ),
    Mutation(
        "FDK-ECS-04",
        "registry-credentials-in-ssm",
        lambda w: _task(
            w,
            server={"repositoryCredentials": {"credentialsParameter": SSM_PARAMETER}},
        ),
        _task_back,
        "not a Secrets Manager ARN",
    ),
    Mutation(
        "FDK-ECS-05",
        "server-does-not-wait-for-migration",
        lambda w: _task(
            w, server={"dependsOn": [{"containerName": "migrate", "condition": "START"}]}
        ),
        _task_back,
        "not SUCCESS",
    ),
    Mutation(
        "FDK-LOG-01",
        "retention-30",
        lambda w: w.client("logs").put_retention_policy(
            logGroupName=f"/ecs/{W.NAME}", retentionInDays=30
        ),
        lambda w: w.client("logs").put_retention_policy(
            logGroupName=f"/ecs/{W.NAME}", retentionInDays=14
        ),
        "retention 30",
    ),
    Mutation(
        "FDK-IAM-01",
        "ci-user-star",
        lambda w: _policy(w, "user", w.ids["ci_user"], _allow("*", "*")),
        lambda w: _policy(w, "user", w.ids["ci_user"]),
        "wildcard action",
    ),
    Mutation(
        "FDK-IAM-01",
        "ci-user-any-partition",
        lambda w: _policy(w, "user", w.ids["ci_user"], _allow("s3:PutObject", "arn:*:s3:::*")),
        lambda w: _policy(w, "user", w.ids["ci_user"]),
        "resource arn:*:s3:::*",
    ),
    Mutation(
        "FDK-IAM-01",
        "ci-user-group-admin",
        lambda w: _group_policy(w, w.ids["ci_user"], _allow("*", "*")),
        lambda w: _group_policy(w, w.ids["ci_user"]),
        "action *",
    ),
    Mutation(
        "FDK-IAM-01",
        "ci-user-other-bucket",
        lambda w: _policy(
            w, "user", w.ids["ci_user"], _allow("s3:PutObject", "arn:aws:s3:::someone-else/*")
        ),
        lambda w: _policy(w, "user", w.ids["ci_user"]),
        "bucket arn:aws:s3:::someone-else",
    ),
    Mutation(
        "FDK-IAM-02",
        "execution-role-star-on-star",
        lambda w: _policy(w, "role", EXEC_ROLE, _allow("*", "*")),
        lambda w: _policy(w, "role", EXEC_ROLE),
        "grants * on *",
    ),
    Mutation(
        "FDK-IAM-02",
        "execution-role-star-on-all-but-one",
        lambda w: _policy(
            w,
            "role",
            EXEC_ROLE,
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::audit"}
                ],
            },
        ),
        lambda w: _policy(w, "role", EXEC_ROLE),
        "grants * on *",
    ),
    Mutation(
        "FDK-IAM-02",
        "role-trusts-any-account",
        lambda w: _trust(
            w,
            EXEC_ROLE,
            json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
                    ],
                }
            ),
        ),
        lambda w: _trust(w, EXEC_ROLE, json.dumps(W.TRUST_ECS)),
        "trusts AWS principals",
    ),
    Mutation(
        "FDK-IAM-03",
        "github-sub-wildcard-owner",
        lambda w: _trust(w, GH_ROLE, W.github_trust(sub="repo:*/fdk:*")),
        lambda w: _trust(w, GH_ROLE, W.github_trust()),
        "wildcards",
    ),
    Mutation(
        "FDK-IAM-03",
        "github-sub-negated",
        lambda w: _trust(w, GH_ROLE, W.github_trust(sub_test="StringNotLike")),
        lambda w: _trust(w, GH_ROLE, W.github_trust()),
        "StringNotLike on sub",
    ),
    Mutation(
        "FDK-IAM-03",
        "github-no-audience",
        lambda w: _trust(w, GH_ROLE, W.github_trust(aud=None)),
        lambda w: _trust(w, GH_ROLE, W.github_trust()),
        "audience",
    ),
    Mutation(
        "FDK-DNS-01",
        "server-record-missing",
        lambda w: _record(w, "DELETE", W.DOMAIN),
        lambda w: _record(w, "CREATE", W.DOMAIN),
        "not an alias to the ALB",
    ),
]


def test_good_world_passes_every_live_check(world):
    findings = judge(world)
    assert findings, "no live finding at all"
    failing = [f for f in findings if f.status != "pass"]
    assert failing == []
    assert len({f.control for f in findings}) >= 15


@pytest.mark.parametrize("mutation", MUTATIONS, ids=str)
def test_live_check_fails_on_broken_state(world, mutation):
    mutation.apply(world)
    try:
        findings = judge(world, mutation.control)
    finally:
        mutation.undo(world)
    failed = [f for f in findings if f.status == "fail"]
    assert failed, f"{mutation}: no failing finding in {findings}"
    assert all(f.control == mutation.control and f.engine == "live" for f in findings)
    assert any(mutation.expect in f.message for f in failed), [f.message for f in failed]


def test_every_live_control_has_a_broken_state():
    from fdk_guard.live.checks import all_checks

    assert {c.control for c in all_checks()} <= {m.control for m in MUTATIONS}


def test_world_is_good_again_after_every_mutation(world):
    # Runs last in this file: a mutation whose undo failed would show here.
    assert [f for f in judge(world) if f.status != "pass"] == []
