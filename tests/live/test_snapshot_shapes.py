"""Live checks on hand-built snapshots of account shapes the moto world does not hold:
split-horizon DNS, a host with both A and AAAA records, two VPCs in scope, Aurora, prefix
lists."""

from __future__ import annotations

from fdk_guard.live.checks.dns_01_server_record import server_record_aliases_alb
from fdk_guard.live.checks.net_06_security_groups import security_groups_no_open_ingress
from fdk_guard.live.checks.web_02_wasm_aliases import wasm_hosts_aliased_and_recorded
from fdk_guard.live.scope import Scope
from fdk_guard.live.snapshot import Snapshot

from . import world as W

DOMAIN = "fdk.example.net"
ALB = {"DNSName": "fdk-1.eu-west-1.elb.amazonaws.com"}
CDN = "d111.cloudfront.net"


def _alias(name: str, rtype: str, target: str) -> dict:
    return {"Name": f"{name}.", "Type": rtype, "AliasTarget": {"DNSName": f"{target}."}}


def _statuses(verdicts) -> list[str]:
    return [v.status for v in verdicts]


def test_a_prefix_list_is_judged_by_its_entries_and_one_not_found_is_deferred():
    snap = Snapshot("eu-west-1", Scope())
    snap.load_balancers = [{"SecurityGroups": ["sg-alb"]}]
    perm = {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080}
    perm["PrefixListIds"] = [{"PrefixListId": "pl-1"}]
    web = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}
    web["PrefixListIds"] = [{"PrefixListId": "pl-gone"}]
    snap.security_groups = {
        "sg-tasks": {"GroupId": "sg-tasks", "IpPermissions": [perm]},
        "sg-alb": {"GroupId": "sg-alb", "IpPermissions": [web]},  # 443: any source may
    }
    snap.prefix_lists = {"pl-1": ["198.51.100.0/24"]}
    assert _statuses(security_groups_no_open_ingress(snap)) == ["pass", "pass"]
    snap.prefix_lists = {"pl-1": ["198.51.100.0/24", "0.0.0.0/0"]}
    assert _statuses(security_groups_no_open_ingress(snap)) == ["pass", "fail"]
    snap.prefix_lists = {}  # not found when read
    assert _statuses(security_groups_no_open_ingress(snap)) == ["pass", "deferred"]


def test_the_server_record_of_a_private_zone_of_the_same_name_does_not_count():
    snap = Snapshot("eu-west-1", Scope(dns_name=DOMAIN))
    snap.load_balancers = [ALB]
    snap.zones = [
        {"Id": "/hostedzone/PRIV", "Name": f"{DOMAIN}.", "Config": {"PrivateZone": True}},
        {"Id": "/hostedzone/PUB", "Name": f"{DOMAIN}.", "Config": {"PrivateZone": False}},
    ]
    snap.records = {"PRIV": [_alias(DOMAIN, "A", ALB["DNSName"])], "PUB": []}
    # the internet asks the public zone: no record there
    assert _statuses(server_record_aliases_alb(snap)) == ["fail"]
    snap.records["PUB"] = [_alias(DOMAIN, "A", ALB["DNSName"])]
    assert _statuses(server_record_aliases_alb(snap)) == ["pass"]


def test_a_wasm_host_whose_a_record_goes_elsewhere_fails_though_its_aaaa_reaches_cloudfront():
    host = f"app.{DOMAIN}"
    snap = Snapshot("eu-west-1", Scope(dns_name=DOMAIN, wasm_hosts=(host,)))
    snap.distributions = [{"DomainName": CDN, "DistributionConfig": {"Aliases": {"Items": [host]}}}]
    snap.records = {"Z": [_alias(host, "A", ALB["DNSName"]), _alias(host, "AAAA", CDN)]}
    assert _statuses(wasm_hosts_aliased_and_recorded(snap)) == ["fail"]
    snap.records = {"Z": [_alias(host, "A", CDN), _alias(host, "AAAA", CDN)]}
    assert _statuses(wasm_hosts_aliased_and_recorded(snap)) == ["pass"]


def test_a_subnet_without_association_follows_the_main_table_of_its_own_vpc():
    snap = Snapshot("eu-west-1", Scope())
    snap.subnets = {"subnet-a": {"SubnetId": "subnet-a", "VpcId": "vpc-a"}}
    public_main = {
        "VpcId": "vpc-a",
        "Associations": [{"Main": True}],
        "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}],
    }
    other_main = {"VpcId": "vpc-b", "Associations": [{"Main": True}], "Routes": []}
    snap.route_tables = [public_main, other_main]  # another VPC's main table comes last
    assert snap.route_table_of("subnet-a") is public_main
    assert snap.is_public_subnet("subnet-a")


def _aurora_snapshot(cluster: dict, params: dict[str, str]) -> Snapshot:
    snap = Snapshot("eu-west-1", Scope())
    snap.db_instances = [{"DBInstanceArn": "arn:db:one", "DBClusterIdentifier": "fdk"}]
    snap.db_clusters = {"fdk": {"DBClusterParameterGroup": "fdk-cluster", **cluster}}
    snap.db_parameters = {"cluster:fdk-cluster": params}
    return snap


def test_an_aurora_instance_is_judged_by_its_cluster_secret_and_parameters():
    from fdk_guard.live.checks.data_02_secrets import rds_managed_master_password
    from fdk_guard.live.checks.data_08_db_tls import database_tls_required

    secret = {"MasterUserSecret": {"SecretArn": "arn:aws:secretsmanager:eu-west-1:1:secret:x"}}
    assert _statuses(rds_managed_master_password(_aurora_snapshot(secret, {}))) == ["pass"]
    assert _statuses(rds_managed_master_password(_aurora_snapshot({}, {}))) == ["fail"]
    off, on = {"rds.force_ssl": "0"}, {"rds.force_ssl": "1"}
    assert _statuses(database_tls_required(_aurora_snapshot(secret, off))) == ["fail"]
    assert _statuses(database_tls_required(_aurora_snapshot(secret, on))) == ["pass"]
    # left to Aurora's default, which the check does not know: never a pass
    assert _statuses(database_tls_required(_aurora_snapshot(secret, {}))) == ["deferred"]


def test_the_snapshot_reads_an_aurora_instances_cluster(world):
    from fdk_guard.live.snapshot import _Gatherer

    rds = world.client("rds")
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="fdk-aurora",
        DBParameterGroupFamily="aurora-postgresql16",
        Description="fdk",
    )
    rds.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName="fdk-aurora",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "0", "ApplyMethod": "immediate"}
        ],
    )
    rds.create_db_cluster(
        DBClusterIdentifier="fdk-aurora",
        Engine="aurora-postgresql",
        EngineVersion="16.4",
        MasterUsername="fdk",
        ManageMasterUserPassword=True,
        DBClusterParameterGroupName="fdk-aurora",
    )
    try:
        snap = Snapshot(W.REGION, Scope())
        snap.db_instances = [{"DBInstanceArn": "arn:db:one", "DBClusterIdentifier": "fdk-aurora"}]
        _Gatherer(world.session, None, snap).clusters()
    finally:
        rds.delete_db_cluster(DBClusterIdentifier="fdk-aurora", SkipFinalSnapshot=True)
        rds.delete_db_cluster_parameter_group(DBClusterParameterGroupName="fdk-aurora")
    assert snap.errors == []
    cluster = snap.cluster_of(snap.db_instances[0])
    assert cluster["MasterUserSecret"]["SecretArn"].startswith("arn:aws:secretsmanager:")
    assert snap.db_parameters["cluster:fdk-aurora"]["rds.force_ssl"] == "0"
