"""Live checks on hand-built snapshots of account shapes the moto world does not hold:
split-horizon DNS, a host with both A and AAAA records, two VPCs in scope."""

from __future__ import annotations

from fdk_guard.live.checks.dns_01_server_record import server_record_aliases_alb
from fdk_guard.live.checks.web_02_wasm_aliases import wasm_hosts_aliased_and_recorded
from fdk_guard.live.scope import Scope
from fdk_guard.live.snapshot import Snapshot

DOMAIN = "fdk.example.net"
ALB = {"DNSName": "fdk-1.eu-west-1.elb.amazonaws.com"}
CDN = "d111.cloudfront.net"


def _alias(name: str, rtype: str, target: str) -> dict:
    return {"Name": f"{name}.", "Type": rtype, "AliasTarget": {"DNSName": f"{target}."}}


def _statuses(verdicts) -> list[str]:
    return [v.status for v in verdicts]


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
