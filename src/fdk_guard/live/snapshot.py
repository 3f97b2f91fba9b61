"""One read-only pass over the account: the state every live check reads.

The snapshot starts from the deployment's VPC (from the Terraform outputs, or found by
its tags) and follows references from there: subnets, route tables, gateways, security
groups, load balancers, database, ECS services in those subnets; then the task
definitions, log groups, KMS keys and certificates they name; then the global resources
the outputs name (WASM bucket, CloudFront distribution, CI user, hosted zone). Every call
goes through the read-only guard. Checks never call AWS: they read this object.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from fdk_guard.errors import GuardError
from fdk_guard.live import guard
from fdk_guard.live.scope import Scope


@dataclass
class Snapshot:
    region: str
    scope: Scope
    vpcs: list[dict] = field(default_factory=list)
    subnets: dict[str, dict] = field(default_factory=dict)
    route_tables: list[dict] = field(default_factory=list)
    internet_gateways: list[dict] = field(default_factory=list)
    nat_gateways: list[dict] = field(default_factory=list)
    security_groups: dict[str, dict] = field(default_factory=dict)
    prefix_lists: dict[str, list[str]] = field(default_factory=dict)  # the groups' lists: CIDRs
    instances: list[dict] = field(default_factory=list)
    instance_profiles: dict[str, dict] = field(default_factory=dict)
    db_instances: list[dict] = field(default_factory=list)
    db_parameters: dict[str, dict[str, str]] = field(default_factory=dict)
    db_clusters: dict[str, dict] = field(default_factory=dict)  # Aurora: by identifier
    kms_keys: dict[str, dict] = field(default_factory=dict)
    load_balancers: list[dict] = field(default_factory=list)
    listeners: dict[str, list[dict]] = field(default_factory=dict)
    target_groups: list[dict] = field(default_factory=list)
    certificates: dict[str, dict] = field(default_factory=dict)
    ecs_services: list[dict] = field(default_factory=list)
    task_definitions: dict[str, dict] = field(default_factory=dict)
    log_groups: list[dict] = field(default_factory=list)
    buckets: dict[str, dict] = field(default_factory=dict)
    distributions: list[dict] = field(default_factory=list)
    headers_policies: dict[str, dict] = field(default_factory=dict)
    users: dict[str, dict] = field(default_factory=dict)
    roles: dict[str, dict] = field(default_factory=dict)
    zones: list[dict] = field(default_factory=list)
    records: dict[str, list[dict]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    # Small helpers the checks share.
    def cluster_of(self, db: dict) -> dict | None:
        """The Aurora cluster an instance belongs to (None: a plain instance, or unseen)."""
        return self.db_clusters.get(db.get("DBClusterIdentifier") or "")

    def route_table_of(self, subnet_id: str) -> dict | None:
        """The subnet's associated table, else the main table of its own VPC."""
        vpc = (self.subnets.get(subnet_id) or {}).get("VpcId")
        main = None
        for table in self.route_tables:
            for assoc in table.get("Associations", []):
                if assoc.get("SubnetId") == subnet_id:
                    return table
                if assoc.get("Main") and table.get("VpcId") == vpc:
                    main = table
        return main

    def is_public_subnet(self, subnet_id: str) -> bool:
        """A subnet is public when its route table routes anywhere to an internet gateway."""
        table = self.route_table_of(subnet_id)
        return bool(table) and any(
            (r.get("GatewayId") or "").startswith("igw-") for r in table.get("Routes", [])
        )


def _pages(client, operation: str, key: str, **kwargs) -> list:
    if client.can_paginate(operation):
        out: list = []
        for page in client.get_paginator(operation).paginate(**kwargs):
            out.extend(page.get(key, []))
        return out
    return getattr(client, operation)(**kwargs).get(key, [])


def _policy_doc(raw: Any) -> dict:
    if isinstance(raw, dict):
        return raw
    try:
        return json.loads(unquote(raw))
    except (TypeError, ValueError):
        return {}


_CLIENTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _Gatherer:
    def __init__(self, session: boto3.Session, endpoint_url: str | None, snap: Snapshot):
        self.session, self.endpoint_url, self.snap = session, endpoint_url, snap
        # Clients are slow to make; keep them with the session across gathers.
        self._clients: dict[tuple, Any] = _CLIENTS.setdefault(session, {})

    def client(self, service: str, region: str | None = None):
        key = (service, region or self.snap.region, self.endpoint_url)
        if key not in self._clients:
            self._clients[key] = self.session.client(
                service, region_name=region or self.snap.region, endpoint_url=self.endpoint_url
            )
        return self._clients[key]

    def soft(self, what: str, func, *args, default=None, missing=(), **kwargs):
        """Call a read; an expected 'not found' code gives `default`, anything else is kept."""
        try:
            return func(*args, **kwargs)
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code", "")
            if code not in missing:
                self.snap.errors.append(f"{what}: {code or err}")
            return default

    def gather(self) -> None:
        self.network()
        self.compute()
        self.database()
        self.edge()
        self.identity()
        self.dns()

    def network(self) -> None:
        ec2, scope, snap = self.client("ec2"), self.snap.scope, self.snap
        vpc_ids = list(scope.vpc_ids)
        if not vpc_ids and scope.tags:
            filters = [{"Name": f"tag:{k}", "Values": [v]} for k, v in scope.tags.items()]
            vpc_ids = [v["VpcId"] for v in _pages(ec2, "describe_vpcs", "Vpcs", Filters=filters)]
        if not vpc_ids:
            raise GuardError("live: no VPC found for the deployment (outputs or tags)")
        scope.vpc_ids = tuple(vpc_ids)
        by_vpc = [{"Name": "vpc-id", "Values": vpc_ids}]
        snap.vpcs = _pages(ec2, "describe_vpcs", "Vpcs", VpcIds=vpc_ids)
        snap.subnets = {
            s["SubnetId"]: s for s in _pages(ec2, "describe_subnets", "Subnets", Filters=by_vpc)
        }
        snap.route_tables = _pages(ec2, "describe_route_tables", "RouteTables", Filters=by_vpc)
        snap.internet_gateways = _pages(
            ec2,
            "describe_internet_gateways",
            "InternetGateways",
            Filters=[{"Name": "attachment.vpc-id", "Values": vpc_ids}],
        )
        snap.nat_gateways = [
            n
            for n in _pages(ec2, "describe_nat_gateways", "NatGateways", Filter=by_vpc)
            if n.get("State") not in ("deleted", "deleting")
        ]
        snap.security_groups = {
            g["GroupId"]: g
            for g in _pages(ec2, "describe_security_groups", "SecurityGroups", Filters=by_vpc)
        }
        named = {
            p["PrefixListId"]
            for g in snap.security_groups.values()
            for perm in g.get("IpPermissions", [])
            for p in perm.get("PrefixListIds", [])
            if p.get("PrefixListId")
        }
        for pl in sorted(named):
            entries = self.soft(
                f"the entries of prefix list {pl}",
                _pages,
                ec2,
                "get_managed_prefix_list_entries",
                "Entries",
                missing=("InvalidPrefixListID.NotFound",),
                PrefixListId=pl,
            )
            if entries is not None:
                snap.prefix_lists[pl] = [e["Cidr"] for e in entries if e.get("Cidr")]
        for res in _pages(ec2, "describe_instances", "Reservations", Filters=by_vpc):
            for inst in res.get("Instances", []):
                if inst.get("State", {}).get("Name") not in ("terminated", "shutting-down"):
                    snap.instances.append(inst)
        iam = self.client("iam")
        for inst in snap.instances:
            arn = (inst.get("IamInstanceProfile") or {}).get("Arn", "")
            name = arn.rsplit("/", 1)[-1]
            if name and name not in snap.instance_profiles:
                profile = self.soft(
                    "iam:GetInstanceProfile", iam.get_instance_profile, InstanceProfileName=name
                )
                if profile:
                    snap.instance_profiles[name] = profile["InstanceProfile"]
                    for role in profile["InstanceProfile"].get("Roles", []):
                        self.role(role["RoleName"])

    def compute(self) -> None:
        snap, elb = self.snap, self.client("elbv2")
        snap.load_balancers = [
            lb
            for lb in _pages(elb, "describe_load_balancers", "LoadBalancers")
            if lb.get("VpcId") in snap.scope.vpc_ids
        ]
        for lb in snap.load_balancers:
            arn = lb["LoadBalancerArn"]
            snap.listeners[arn] = _pages(
                elb, "describe_listeners", "Listeners", LoadBalancerArn=arn
            )
            for listener in snap.listeners[arn]:
                for cert in listener.get("Certificates", []):
                    self.certificate(cert["CertificateArn"], snap.region)
        snap.target_groups = [
            tg
            for tg in _pages(elb, "describe_target_groups", "TargetGroups")
            if tg.get("VpcId") in snap.scope.vpc_ids
        ]
        ecs = self.client("ecs")
        for cluster in _pages(ecs, "list_clusters", "clusterArns"):
            arns = _pages(ecs, "list_services", "serviceArns", cluster=cluster)
            for i in range(0, len(arns), 10):
                described = ecs.describe_services(cluster=cluster, services=arns[i : i + 10])
                for svc in described.get("services", []):
                    if svc.get("status") == "INACTIVE":
                        continue  # deleted: ECS describes it for a while after
                    subnets = (
                        svc.get("networkConfiguration", {})
                        .get("awsvpcConfiguration", {})
                        .get("subnets", [])
                    )
                    if any(s in snap.subnets for s in subnets):
                        snap.ecs_services.append(svc)
        for svc in snap.ecs_services:
            arn = svc["taskDefinition"]
            if arn not in snap.task_definitions:
                snap.task_definitions[arn] = ecs.describe_task_definition(taskDefinition=arn)[
                    "taskDefinition"
                ]
        logs = self.client("logs")
        prefixes = set(snap.scope.log_group_prefixes)
        for td in snap.task_definitions.values():
            for container in td.get("containerDefinitions", []):
                opts = (container.get("logConfiguration") or {}).get("options", {})
                if opts.get("awslogs-group"):
                    prefixes.add(opts["awslogs-group"])
        seen: set[str] = set()
        for prefix in sorted(prefixes):
            for group in _pages(
                logs, "describe_log_groups", "logGroups", logGroupNamePrefix=prefix
            ):
                if group["logGroupName"] not in seen:
                    seen.add(group["logGroupName"])
                    snap.log_groups.append(group)
        for td in snap.task_definitions.values():
            role_arns = [td.get("taskRoleArn"), td.get("executionRoleArn")]
            for container in td.get("containerDefinitions", []):
                role_arns += [e.get("value") for e in container.get("environment", [])]
            for role_arn in role_arns:
                if role_arn and role_arn.startswith("arn:aws:iam::") and ":role/" in role_arn:
                    self.role(role_arn.rsplit("/", 1)[-1])

    def database(self) -> None:
        snap, rds = self.snap, self.client("rds")
        for db in _pages(rds, "describe_db_instances", "DBInstances"):
            if (db.get("DBSubnetGroup") or {}).get("VpcId") in snap.scope.vpc_ids:
                snap.db_instances.append(db)
        for db in snap.db_instances:
            for group in db.get("DBParameterGroups", []):
                name = group["DBParameterGroupName"]
                if name in snap.db_parameters:
                    continue
                params = self.soft(
                    "rds:DescribeDBParameters",
                    _pages,
                    rds,
                    "describe_db_parameters",
                    "Parameters",
                    DBParameterGroupName=name,
                    default=[],
                )
                snap.db_parameters[name] = {
                    p["ParameterName"]: p.get("ParameterValue", "") for p in params
                }
            for key_id in (db.get("KmsKeyId"), (db.get("MasterUserSecret") or {}).get("KmsKeyId")):
                if key_id:
                    self.kms_key(key_id)
        self.clusters()

    def clusters(self) -> None:
        """The Aurora clusters of the instances in scope: their managed secret and their
        cluster parameter group (rds.force_ssl lives there), as `cluster:<name>`."""
        snap, rds = self.snap, self.client("rds")
        for db in snap.db_instances:
            ident = db.get("DBClusterIdentifier")
            if not ident or ident in snap.db_clusters:
                continue
            got = self.soft(
                "rds:DescribeDBClusters", rds.describe_db_clusters, DBClusterIdentifier=ident
            )
            if not got or not got.get("DBClusters"):
                continue
            cluster = snap.db_clusters[ident] = got["DBClusters"][0]
            name = cluster.get("DBClusterParameterGroup")
            if name and f"cluster:{name}" not in snap.db_parameters:
                params = self.soft(
                    "rds:DescribeDBClusterParameters",
                    _pages,
                    rds,
                    "describe_db_cluster_parameters",
                    "Parameters",
                    DBClusterParameterGroupName=name,
                    default=[],
                )
                snap.db_parameters[f"cluster:{name}"] = {
                    p["ParameterName"]: p.get("ParameterValue", "") for p in params
                }
            key_id = (cluster.get("MasterUserSecret") or {}).get("KmsKeyId")
            if key_id:
                self.kms_key(key_id)

    def kms_key(self, key_id: str) -> None:
        if key_id in self.snap.kms_keys:
            return
        kms = self.client("kms")
        meta = self.soft("kms:DescribeKey", kms.describe_key, KeyId=key_id)
        if not meta:
            return
        meta = meta["KeyMetadata"]
        rotation = None
        if meta.get("KeyManager") == "CUSTOMER":
            status = self.soft(
                "kms:GetKeyRotationStatus", kms.get_key_rotation_status, KeyId=meta["KeyId"]
            )
            rotation = bool(status and status.get("KeyRotationEnabled"))
        self.snap.kms_keys[key_id] = {"metadata": meta, "rotation": rotation}

    def certificate(self, arn: str, region: str) -> None:
        if arn in self.snap.certificates:
            return
        acm = self.client("acm", region)
        cert = self.soft("acm:DescribeCertificate", acm.describe_certificate, CertificateArn=arn)
        if cert:
            self.snap.certificates[arn] = cert["Certificate"]

    def edge(self) -> None:
        snap, s3 = self.snap, self.client("s3")
        for name in snap.scope.buckets:
            nf = ("NoSuchBucket", "NoSuchPublicAccessBlockConfiguration")
            pab = self.soft(
                "s3:GetPublicAccessBlock", s3.get_public_access_block, Bucket=name, missing=nf
            )
            enc = self.soft(
                "s3:GetBucketEncryption",
                s3.get_bucket_encryption,
                Bucket=name,
                missing=("ServerSideEncryptionConfigurationNotFoundError",),
            )
            policy = self.soft(
                "s3:GetBucketPolicy",
                s3.get_bucket_policy,
                Bucket=name,
                missing=("NoSuchBucketPolicy",),
            )
            cors = self.soft(
                "s3:GetBucketCors",
                s3.get_bucket_cors,
                Bucket=name,
                missing=("NoSuchCORSConfiguration",),
            )
            snap.buckets[name] = {
                "public_access_block": (pab or {}).get("PublicAccessBlockConfiguration"),
                "encryption": (enc or {}).get("ServerSideEncryptionConfiguration"),
                "policy": _policy_doc(policy["Policy"]) if policy else None,
                "cors": (cors or {}).get("CORSRules"),
            }
        cf = self.client("cloudfront", "us-east-1")
        for dist_id in snap.scope.distribution_ids:
            dist = self.soft("cloudfront:GetDistribution", cf.get_distribution, Id=dist_id)
            if not dist:
                continue
            dist = dist["Distribution"]
            snap.distributions.append(dist)
            config = dist["DistributionConfig"]
            cert = (config.get("ViewerCertificate") or {}).get("ACMCertificateArn")
            if cert:
                self.certificate(cert, "us-east-1")
            behaviors = [config.get("DefaultCacheBehavior", {})] + (
                config.get("CacheBehaviors", {}).get("Items") or []
            )
            for behavior in behaviors:
                pid = behavior.get("ResponseHeadersPolicyId")
                if pid and pid not in snap.headers_policies:
                    got = self.soft(
                        "cloudfront:GetResponseHeadersPolicy",
                        cf.get_response_headers_policy,
                        Id=pid,
                    )
                    if got:
                        snap.headers_policies[pid] = got["ResponseHeadersPolicy"][
                            "ResponseHeadersPolicyConfig"
                        ]

    def role(self, name: str) -> None:
        if name in self.snap.roles:
            return
        iam = self.client("iam")
        role = self.soft("iam:GetRole", iam.get_role, RoleName=name, missing=("NoSuchEntity",))
        if role:
            role = role["Role"]
            role["AssumeRolePolicyDocument"] = _policy_doc(role.get("AssumeRolePolicyDocument"))
            role["Policies"] = self.principal_policies("role", name)
            self.snap.roles[name] = role

    def principal_policies(self, kind: str, name: str) -> dict[str, dict]:
        """Every policy document attached to a user or role, inline and managed, by name."""
        iam = self.client("iam")
        key = {"user": "UserName", "role": "RoleName"}[kind]
        docs: dict[str, dict] = {}
        for pname in _pages(iam, f"list_{kind}_policies", "PolicyNames", **{key: name}):
            got = getattr(iam, f"get_{kind}_policy")(**{key: name, "PolicyName": pname})
            docs[pname] = _policy_doc(got["PolicyDocument"])
        attached = _pages(iam, f"list_attached_{kind}_policies", "AttachedPolicies", **{key: name})
        for pol in attached:
            docs[pol["PolicyArn"]] = self._managed(pol["PolicyArn"])
        if kind == "user":
            for group in _pages(iam, "list_groups_for_user", "Groups", UserName=name):
                gname = group["GroupName"]
                for pname in _pages(iam, "list_group_policies", "PolicyNames", GroupName=gname):
                    got = iam.get_group_policy(GroupName=gname, PolicyName=pname)
                    docs[f"group/{gname}/{pname}"] = _policy_doc(got["PolicyDocument"])
                managed = _pages(
                    iam, "list_attached_group_policies", "AttachedPolicies", GroupName=gname
                )
                for pol in managed:  # a group's managed policies reach its users too
                    docs[f"group/{gname}/{pol['PolicyArn']}"] = self._managed(pol["PolicyArn"])
        return docs

    def _managed(self, arn: str) -> dict:
        """The default version of a managed policy, as a document."""
        iam = self.client("iam")
        meta = iam.get_policy(PolicyArn=arn)["Policy"]
        version = iam.get_policy_version(PolicyArn=arn, VersionId=meta["DefaultVersionId"])
        return _policy_doc(version["PolicyVersion"]["Document"])

    def identity(self) -> None:
        iam = self.client("iam")
        for name in self.snap.scope.users:
            user = self.soft("iam:GetUser", iam.get_user, UserName=name, missing=("NoSuchEntity",))
            if user:
                user = user["User"]
                user["Policies"] = self.principal_policies("user", name)
                self.snap.users[name] = user
        for name in self.snap.scope.roles:
            self.role(name)

    def dns(self) -> None:
        snap, r53 = self.snap, self.client("route53")
        wanted = {z.rstrip(".") for z in snap.scope.zone_names}
        for zone in _pages(r53, "list_hosted_zones", "HostedZones"):
            zone_id = zone["Id"].rsplit("/", 1)[-1]
            if zone_id in snap.scope.zone_ids or zone["Name"].rstrip(".") in wanted:
                snap.zones.append(zone)
                # The reference outputs the zone, not dns_name: the zone's name is dns_name.
                snap.scope.dns_name = snap.scope.dns_name or zone["Name"].rstrip(".")
                snap.records[zone_id] = _pages(
                    r53, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=zone["Id"]
                )


def gather(
    scope: Scope,
    *,
    region: str,
    endpoint_url: str | None = None,
    session: boto3.Session | None = None,
) -> Snapshot:
    """Read the deployment's state once, read-only. AWS errors become a one-line GuardError."""
    session = guard.install(session or boto3.Session(region_name=region))
    snap = Snapshot(region=region, scope=scope)
    try:
        _Gatherer(session, endpoint_url, snap).gather()
    except (ClientError, BotoCoreError) as err:
        raise GuardError(f"live: cannot read the account: {err}") from None
    return snap
