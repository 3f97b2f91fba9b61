"""A good FDK deployment, built with boto3 into moto (mock_aws), as the reference makes it.

`build()` returns the outputs a `terraform output -json` would give (values only) and the
ids the broken-state tests need to break one promise at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import boto3

REGION = "ap-southeast-2"
DOMAIN = "demo.fdk.fsl.dev"
NAME = "fdk-demo"
PREFIX = "dag-tenant-"
AMI = "ami-12c6146b"  # an AMI moto knows
WASM_HOSTS = (f"app.{DOMAIN}", f"staging.{DOMAIN}")
GITHUB_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
TRUST_ECS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


@dataclass
class World:
    outputs: dict
    ids: dict = field(default_factory=dict)

    def client(self, service: str, region: str = REGION):
        return boto3.client(service, region_name=region)


def _doc(statements: list[dict]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _network(ec2, ids: dict) -> None:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ids["vpc"] = vpc
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ids["igw"] = igw
    public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ids["public_rt"] = public_rt
    ids["public"], ids["private"], ids["private_rt"] = [], [], []
    for i, az in enumerate(("a", "b")):
        pub = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=REGION + az)
        ids["public"].append(pub["Subnet"]["SubnetId"])
        ec2.associate_route_table(RouteTableId=public_rt, SubnetId=ids["public"][-1])
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=ids["public"][0], AllocationId=eip)["NatGateway"]
    ids["nat"] = nat["NatGatewayId"]
    for i, az in enumerate(("a", "b")):
        sub = ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.0.{10 + i}.0/24", AvailabilityZone=REGION + az
        )
        ids["private"].append(sub["Subnet"]["SubnetId"])
        rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=ids["nat"])
        ec2.associate_route_table(RouteTableId=rt, SubnetId=ids["private"][-1])
        ids["private_rt"].append(rt)

    def group(name: str) -> str:
        return ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]

    ids["sg_alb"], ids["sg_tasks"], ids["sg_db"], ids["sg_bastion"] = (
        group(f"{NAME}-alb"),
        group(f"{NAME}-tasks"),
        group(f"{NAME}-db"),
        group(f"{NAME}-bastion"),
    )
    for port in (80, 443):
        ec2.authorize_security_group_ingress(
            GroupId=ids["sg_alb"],
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": port,
                    "ToPort": port,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                }
            ],
        )
    for target, source, port in (("sg_tasks", "sg_alb", 8080), ("sg_db", "sg_tasks", 5432)):
        ec2.authorize_security_group_ingress(
            GroupId=ids[target],
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": port,
                    "ToPort": port,
                    "UserIdGroupPairs": [{"GroupId": ids[source]}],
                }
            ],
        )


def _database(ids: dict) -> None:
    kms = boto3.client("kms", region_name=REGION)
    key = kms.create_key(Description="rds")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key)
    ids["kms"] = key
    rds = boto3.client("rds", region_name=REGION)
    rds.create_db_subnet_group(
        DBSubnetGroupName=f"{NAME}-db", DBSubnetGroupDescription="db", SubnetIds=ids["private"]
    )
    db = rds.create_db_instance(
        DBInstanceIdentifier=f"{NAME}-db",
        DBInstanceClass="db.t4g.micro",
        Engine="postgres",
        EngineVersion="15.7",
        AllocatedStorage=20,
        MasterUsername="fdk",
        ManageMasterUserPassword=True,
        StorageEncrypted=True,
        KmsKeyId=key,
        PubliclyAccessible=False,
        DBSubnetGroupName=f"{NAME}-db",
        VpcSecurityGroupIds=[ids["sg_db"]],
    )["DBInstance"]
    ids["db"] = db["DBInstanceIdentifier"]
    ids["db_host"] = db["Endpoint"]["Address"]


def _dns_and_tls(ids: dict) -> None:
    r53 = boto3.client("route53", region_name=REGION)
    zone = r53.create_hosted_zone(Name=DOMAIN, CallerReference="fdk")["HostedZone"]["Id"]
    ids["zone"] = zone
    for region, key in ((REGION, "cert"), ("us-east-1", "cert_cf")):
        acm = boto3.client("acm", region_name=region)
        arn = acm.request_certificate(
            DomainName=f"*.{DOMAIN}", SubjectAlternativeNames=[DOMAIN], ValidationMethod="DNS"
        )["CertificateArn"]
        ids[key] = arn
        for opt in acm.describe_certificate(CertificateArn=arn)["Certificate"][
            "DomainValidationOptions"
        ]:
            rec = opt["ResourceRecord"]
            _upsert(
                r53,
                zone,
                {
                    "Name": rec["Name"],
                    "Type": rec["Type"],
                    "TTL": 60,
                    "ResourceRecords": [{"Value": rec["Value"]}],
                },
            )


def _upsert(r53, zone: str, record: dict) -> None:
    r53.change_resource_record_sets(
        HostedZoneId=zone,
        ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": record}]},
    )


def _load_balancer(ids: dict) -> None:
    elb = boto3.client("elbv2", region_name=REGION)
    lb = elb.create_load_balancer(
        Name=f"{NAME}-alb",
        Subnets=ids["public"],
        SecurityGroups=[ids["sg_alb"]],
        Scheme="internet-facing",
    )["LoadBalancers"][0]
    ids["alb"], ids["alb_dns"] = lb["LoadBalancerArn"], lb["DNSName"]
    tg = elb.create_target_group(
        Name=f"{NAME}-server",
        Protocol="HTTP",
        Port=8080,
        VpcId=ids["vpc"],
        TargetType="ip",
        HealthCheckPath="/healthz",
        HealthCheckPort="traffic-port",
    )["TargetGroups"][0]
    ids["tg"] = tg["TargetGroupArn"]
    ids["http"] = elb.create_listener(
        LoadBalancerArn=ids["alb"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[
            {
                "Type": "redirect",
                "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
            }
        ],
    )["Listeners"][0]["ListenerArn"]
    ids["https"] = elb.create_listener(
        LoadBalancerArn=ids["alb"],
        Protocol="HTTPS",
        Port=443,
        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
        Certificates=[{"CertificateArn": ids["cert"]}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": ids["tg"]}],
    )["Listeners"][0]["ListenerArn"]
    r53 = boto3.client("route53", region_name=REGION)
    _upsert(
        r53,
        ids["zone"],
        {
            "Name": DOMAIN,
            "Type": "A",
            "AliasTarget": {
                "HostedZoneId": lb["CanonicalHostedZoneId"],
                "DNSName": lb["DNSName"],
                "EvaluateTargetHealth": True,
            },
        },
    )


def _iam(ids: dict) -> None:
    iam = boto3.client("iam", region_name=REGION)
    for role in ("execution", "task"):
        ids[f"role_{role}"] = iam.create_role(
            RoleName=f"{NAME}-{role}", AssumeRolePolicyDocument=json.dumps(TRUST_ECS)
        )["Role"]["Arn"]
    # The server's task role assumes the storage reader role (STORAGE__READER_ROLE_ARN).
    by_task = [
        {"Effect": "Allow", "Principal": {"AWS": ids["role_task"]}, "Action": "sts:AssumeRole"}
    ]
    ids["role_reader"] = iam.create_role(
        RoleName=f"{NAME}-reader", AssumeRolePolicyDocument=_doc(by_task)
    )["Role"]["Arn"]
    for role in ("task", "reader"):
        iam.put_role_policy(
            RoleName=f"{NAME}-{role}",
            PolicyName="data",
            PolicyDocument=_doc(
                [
                    {
                        "Effect": "Allow",
                        "Action": [
                            "s3:GetObject",
                            "s3:PutObject",
                            "s3:ListBucket",
                            "s3:CreateBucket",
                        ],
                        "Resource": [f"arn:aws:s3:::{PREFIX}*", f"arn:aws:s3:::{PREFIX}*/*"],
                    }
                ]
            ),
        )


def _storage_and_edge(ids: dict) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    bucket = f"{NAME}-wasm"
    ids["bucket"] = bucket
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedMethods": ["GET", "HEAD"],
                    "AllowedOrigins": [f"https://{h}" for h in WASM_HOSTS],
                }
            ]
        },
    )
    cf = boto3.client("cloudfront", region_name="us-east-1")
    oac = cf.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": bucket,
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]
    policy = cf.create_response_headers_policy(
        ResponseHeadersPolicyConfig={
            "Name": f"{NAME}-coep-coop",
            "CustomHeadersConfig": {
                "Quantity": 2,
                "Items": [
                    {
                        "Header": "Cross-Origin-Embedder-Policy",
                        "Value": "require-corp",
                        "Override": True,
                    },
                    {
                        "Header": "Cross-Origin-Opener-Policy",
                        "Value": "same-origin",
                        "Override": True,
                    },
                ],
            },
        }
    )["ResponseHeadersPolicy"]["Id"]
    ids["headers_policy"] = policy
    dist = cf.create_distribution(DistributionConfig=distribution_config(ids, oac))["Distribution"]
    ids["dist"], ids["dist_arn"], ids["dist_domain"] = dist["Id"], dist["ARN"], dist["DomainName"]
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=_doc(
            [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                    "Condition": {"StringEquals": {"AWS:SourceArn": dist["ARN"]}},
                }
            ]
        ),
    )
    r53 = boto3.client("route53", region_name=REGION)
    for host in WASM_HOSTS:
        _upsert(
            r53,
            ids["zone"],
            {
                "Name": host,
                "Type": "A",
                "AliasTarget": {
                    "HostedZoneId": "Z2FDTNDATAQYW2",
                    "DNSName": dist["DomainName"],
                    "EvaluateTargetHealth": False,
                },
            },
        )


def distribution_config(ids: dict, oac: str, **overrides) -> dict:
    config = {
        "CallerReference": "fdk-wasm",
        "Comment": "wasm",
        "Enabled": True,
        "Aliases": {"Quantity": len(WASM_HOSTS), "Items": list(WASM_HOSTS)},
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "wasm",
                    "DomainName": f"{ids['bucket']}.s3.{REGION}.amazonaws.com",
                    "OriginAccessControlId": oac,
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "wasm",
            "ViewerProtocolPolicy": "redirect-to-https",
            "ResponseHeadersPolicyId": ids["headers_policy"],
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        },
        "ViewerCertificate": {
            "ACMCertificateArn": ids["cert_cf"],
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
    }
    config.update(overrides)
    return config


def _ci_user(ids: dict) -> None:
    iam = boto3.client("iam", region_name=REGION)
    iam.create_user(UserName=f"{NAME}-ci")
    iam.put_user_policy(
        UserName=f"{NAME}-ci",
        PolicyName="deploy-wasm",
        PolicyDocument=ci_policy(ids),
    )
    ids["ci_user"] = f"{NAME}-ci"


def ci_policy(ids: dict, extra: list[dict] | None = None) -> str:
    bucket = ids["bucket"]
    return _doc(
        [
            {
                "Effect": "Allow",
                "Action": ["s3:PutObject", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket"],
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            },
            {
                "Effect": "Allow",
                "Action": "cloudfront:CreateInvalidation",
                "Resource": ids["dist_arn"],
            },
        ]
        + (extra or [])
    )


def server_task_definition(ids: dict, *, server: dict | None = None, **overrides) -> dict:
    env = {
        "DATABASE__HOST": ids["db_host"],
        "DATABASE__PORT": "5432",
        "DATABASE__NAME": "fdk",
        "DATABASE__SSL_MODE": "require",
        "DATABASE__AUTH__USERNAME": "fdk",
        "STORAGE__BACKEND": "s3",
        "STORAGE__REGION": REGION,
        "STORAGE__BUCKET_PREFIX": PREFIX,
        "STORAGE__READER_ROLE_ARN": ids["role_reader"],
        "AUTH__ISSUER": "https://auth.example.com",
        "AUTH__CLIENT_ID": "fdk",
        "OBSERVABILITY__OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4317",
    }
    log = {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": f"/ecs/{NAME}",
            "awslogs-region": REGION,
            "awslogs-stream-prefix": "x",
        },
    }
    server_def = {
        "name": "server",
        "image": "ghcr.io/your-org/fdk_server:0.3.0",
        "essential": True,
        "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
        "environment": [{"name": k, "value": v} for k, v in env.items()],
        "secrets": [
            {"name": "DATABASE__AUTH__PASSWORD", "valueFrom": ids["db_secret"] + ":password::"}
        ],
        "repositoryCredentials": {"credentialsParameter": ids["registry_secret"]},
        "dependsOn": [{"containerName": "migrate", "condition": "SUCCESS"}],
        "logConfiguration": log,
    }
    server_def.update(server or {})
    td = {
        "family": f"{NAME}-server",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "512",
        "memory": "1024",
        "executionRoleArn": ids["role_execution"],
        "taskRoleArn": ids["role_task"],
        "containerDefinitions": [
            server_def,
            {
                "name": "migrate",
                "image": "ghcr.io/your-org/fdk_server:0.3.0",
                "essential": False,
                "logConfiguration": log,
            },
            {
                "name": "alloy",
                "image": "grafana/alloy:latest",
                "essential": False,
                "logConfiguration": log,
            },
        ],
    }
    td.update(overrides)
    return td


def _ecs(ids: dict) -> None:
    sm = boto3.client("secretsmanager", region_name=REGION)
    ids["registry_secret"] = sm.create_secret(Name=f"{NAME}-registry", SecretString="{}")["ARN"]
    rds = boto3.client("rds", region_name=REGION)
    db = rds.describe_db_instances(DBInstanceIdentifier=ids["db"])["DBInstances"][0]
    ids["db_secret"] = db["MasterUserSecret"]["SecretArn"]
    logs = boto3.client("logs", region_name=REGION)
    logs.create_log_group(logGroupName=f"/ecs/{NAME}")
    logs.put_retention_policy(logGroupName=f"/ecs/{NAME}", retentionInDays=14)
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName=NAME)
    td = ecs.register_task_definition(**server_task_definition(ids))["taskDefinition"]
    ids["td"] = td["taskDefinitionArn"]
    ids["service"] = ecs.create_service(
        cluster=NAME,
        serviceName=f"{NAME}-server",
        taskDefinition=ids["td"],
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": ids["private"],
                "securityGroups": [ids["sg_tasks"]],
                "assignPublicIp": "DISABLED",
            }
        },
        loadBalancers=[
            {"targetGroupArn": ids["tg"], "containerName": "server", "containerPort": 8080}
        ],
    )["service"]["serviceArn"]


def _bastion(ec2, ids: dict) -> None:
    iam = boto3.client("iam", region_name=REGION)
    trust = json.loads(json.dumps(TRUST_ECS))
    trust["Statement"][0]["Principal"]["Service"] = "ec2.amazonaws.com"
    iam.create_role(RoleName=f"{NAME}-bastion", AssumeRolePolicyDocument=json.dumps(trust))
    ssm = iam.create_policy(
        PolicyName="AmazonSSMManagedInstanceCore",
        PolicyDocument=_doc(
            [{"Effect": "Allow", "Action": "ssm:UpdateInstanceInformation", "Resource": "*"}]
        ),
    )["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=f"{NAME}-bastion", PolicyArn=ssm)
    iam.create_instance_profile(InstanceProfileName=f"{NAME}-bastion")
    iam.add_role_to_instance_profile(
        InstanceProfileName=f"{NAME}-bastion", RoleName=f"{NAME}-bastion"
    )
    ids["bastion"] = ec2.run_instances(
        ImageId=AMI,
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        SubnetId=ids["private"][0],
        SecurityGroupIds=[ids["sg_bastion"]],
        IamInstanceProfile={"Name": f"{NAME}-bastion"},
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
    )["Instances"][0]["InstanceId"]


def github_trust(
    sub: str = "repo:your-org/fdk:ref:refs/heads/main",
    aud: str | None = "sts.amazonaws.com",
    sub_test: str = "StringLike",
) -> str:
    cond = {sub_test: {"token.actions.githubusercontent.com:sub": sub}}
    if aud:
        cond["StringEquals"] = {"token.actions.githubusercontent.com:aud": aud}
    return _doc(
        [
            {
                "Effect": "Allow",
                "Principal": {"Federated": GITHUB_PROVIDER},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": cond,
            }
        ]
    )


def build() -> World:
    ec2 = boto3.client("ec2", region_name=REGION)
    ids: dict = {}
    _network(ec2, ids)
    _database(ids)
    _dns_and_tls(ids)
    _load_balancer(ids)
    _iam(ids)
    _storage_and_edge(ids)
    _ci_user(ids)
    _ecs(ids)
    _bastion(ec2, ids)
    iam = boto3.client("iam", region_name=REGION)
    iam.create_role(RoleName=f"{NAME}-github-deploy", AssumeRolePolicyDocument=github_trust())
    iam.put_role_policy(
        RoleName=f"{NAME}-github-deploy", PolicyName="deploy-wasm", PolicyDocument=ci_policy(ids)
    )
    outputs = {
        "vpc_id": ids["vpc"],
        "s3_wasm_bucket": ids["bucket"],
        "cloudfront_distribution_id": ids["dist"],
        "ci_user_name": ids["ci_user"],
        "github_deploy_role_name": f"{NAME}-github-deploy",
        "dns_name": DOMAIN,
        "server_url": f"https://{DOMAIN}",
        "wasm_urls": {h.split(".")[0]: f"https://{h}" for h in WASM_HOSTS},
    }
    return World(outputs=outputs, ids=ids)
