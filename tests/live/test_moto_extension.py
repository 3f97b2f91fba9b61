"""The in-process moto extension: response headers policies and drift-free distributions."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from fdk_guard.local import moto_ext

from . import world as W

HEADERS = {
    "Name": "coep-coop",
    "CustomHeadersConfig": {
        "Quantity": 1,
        "Items": [
            {"Header": "Cross-Origin-Embedder-Policy", "Value": "require-corp", "Override": True}
        ],
    },
}


@pytest.fixture
def cloudfront(monkeypatch):
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    moto_ext.install()
    moto_ext.install()  # idempotent
    with mock_aws():
        yield boto3.client("cloudfront", region_name="us-east-1")


def test_response_headers_policy_lifecycle(cloudfront):
    created = cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=HEADERS)
    pid = created["ResponseHeadersPolicy"]["Id"]
    got = cloudfront.get_response_headers_policy(Id=pid)
    assert got["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"] == HEADERS
    assert got["ETag"] == created["ETag"]
    assert (
        cloudfront.get_response_headers_policy_config(Id=pid)["ResponseHeadersPolicyConfig"]
        == HEADERS
    )
    listed = cloudfront.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]
    assert pid in [i["ResponseHeadersPolicy"]["Id"] for i in listed["Items"]]
    assert listed["Quantity"] == len(listed["Items"])
    changed = {**HEADERS, "Comment": "changed"}
    updated = cloudfront.update_response_headers_policy(
        Id=pid, IfMatch=got["ETag"], ResponseHeadersPolicyConfig=changed
    )
    assert updated["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Comment"] == "changed"
    with pytest.raises(ClientError, match="PreconditionFailed"):
        cloudfront.delete_response_headers_policy(Id=pid, IfMatch=got["ETag"])  # stale ETag
    cloudfront.delete_response_headers_policy(Id=pid, IfMatch=updated["ETag"])
    with pytest.raises(ClientError, match="NoSuchResponseHeadersPolicy"):
        cloudfront.get_response_headers_policy(Id=pid)


def test_distribution_keeps_function_associations_and_origin_access_control(cloudfront):
    fn = "arn:aws:cloudfront::123456789012:function/wasm-host"
    ids = {
        "bucket": "fdk-demo-wasm",
        "headers_policy": "p",
        "cert_cf": "arn:aws:acm:us-east-1:1:certificate/x",
    }
    config = W.distribution_config(ids, "E2OAC", CallerReference="fdk-extension-test")
    config["DefaultCacheBehavior"]["FunctionAssociations"] = {
        "Quantity": 1,
        "Items": [{"FunctionARN": fn, "EventType": "viewer-request"}],
    }
    dist = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]
    read = cloudfront.get_distribution_config(Id=dist["Id"])["DistributionConfig"]
    assert read["DefaultCacheBehavior"]["FunctionAssociations"]["Items"][0]["FunctionARN"] == fn
    assert read["Origins"]["Items"][0]["OriginAccessControlId"] == "E2OAC"
    assert read["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == "p"


def test_block_device_without_size_takes_the_ami_default(cloudfront):
    ec2 = boto3.client("ec2", region_name=W.REGION)
    instance = ec2.run_instances(
        ImageId=W.AMI,
        MinCount=1,
        MaxCount=1,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True, "VolumeType": "gp3"}}
        ],
    )["Instances"][0]
    volumes = ec2.describe_volumes(
        Filters=[{"Name": "attachment.instance-id", "Values": [instance["InstanceId"]]}]
    )["Volumes"]
    assert {v["Size"] for v in volumes} == {8}
    assert any(v["Encrypted"] for v in volumes)


def test_ecs_service_keeps_its_deployment_settings(cloudfront):
    ecs = boto3.client("ecs", region_name=W.REGION)
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(
        family="t", containerDefinitions=[{"name": "s", "image": "x", "memory": 128}]
    )
    settings = {
        "healthCheckGracePeriodSeconds": 120,
        "deploymentConfiguration": {
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
        },
        "enableECSManagedTags": True,
    }
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="t", desiredCount=1, **settings)
    described = ecs.describe_services(cluster="c", services=["s"])["services"][0]
    assert {k: described.get(k) for k in settings} == settings
    ecs.update_service(cluster="c", service="s", healthCheckGracePeriodSeconds=60)
    described = ecs.describe_services(cluster="c", services=["s"])["services"][0]
    assert described["healthCheckGracePeriodSeconds"] == 60


def test_detailed_monitoring_can_be_turned_on_and_off(cloudfront):
    ec2 = boto3.client("ec2", region_name=W.REGION)
    iid = ec2.run_instances(ImageId=W.AMI, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    got = ec2.monitor_instances(InstanceIds=[iid])["InstanceMonitorings"]
    assert got == [{"InstanceId": iid, "Monitoring": {"State": "enabled"}}]
    described = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    assert described["Monitoring"]["State"] == "enabled"
    ec2.unmonitor_instances(InstanceIds=[iid])
    described = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    assert described["Monitoring"]["State"] == "disabled"


def test_cloudfront_function_can_be_published(cloudfront):
    created = cloudfront.create_function(
        Name="wasm-host-to-folder",
        FunctionConfig={"Comment": "host to folder", "Runtime": "cloudfront-js-2.0"},
        FunctionCode=b"function handler(event) { return event.request; }",
    )
    with pytest.raises(ClientError, match="PreconditionFailed"):
        cloudfront.publish_function(Name="wasm-host-to-folder", IfMatch="stale")
    published = cloudfront.publish_function(Name="wasm-host-to-folder", IfMatch=created["ETag"])
    assert published["FunctionSummary"]["FunctionMetadata"]["Stage"] == "LIVE"


def test_rds_keeps_performance_insights_and_user_parameters(cloudfront):
    rds = boto3.client("rds", region_name=W.REGION)
    rds.create_db_parameter_group(
        DBParameterGroupName="pg", DBParameterGroupFamily="postgres16", Description="d"
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName="pg",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}
        ],
    )
    params = rds.describe_db_parameters(DBParameterGroupName="pg")["Parameters"]
    assert [(p["ParameterName"], p.get("Source")) for p in params] == [("rds.force_ssl", "user")]
    db = rds.create_db_instance(
        DBInstanceIdentifier="db",
        DBInstanceClass="db.t4g.micro",
        Engine="postgres",
        MasterUsername="fdk",
        MasterUserPassword="not-a-secret-moto",  # noqa: S106
        AllocatedStorage=20,
        EnablePerformanceInsights=True,
    )["DBInstance"]
    assert db["PerformanceInsightsEnabled"] is True
    described = rds.describe_db_instances(DBInstanceIdentifier="db")["DBInstances"][0]
    assert described["PerformanceInsightsRetentionPeriod"] == 7


def test_load_balancer_defaults_to_internet_facing(cloudfront):
    ec2 = boto3.client("ec2", region_name=W.REGION)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=W.REGION + az)[
            "Subnet"
        ]["SubnetId"]
        for i, az in enumerate("ab")
    ]
    elb = boto3.client("elbv2", region_name=W.REGION)
    lb = elb.create_load_balancer(Name="no-scheme", Subnets=subnets)["LoadBalancers"][0]
    assert lb["Scheme"] == "internet-facing"
    internal = elb.create_load_balancer(Name="internal", Subnets=subnets, Scheme="internal")
    assert internal["LoadBalancers"][0]["Scheme"] == "internal"


def test_distribution_with_certificate_and_cache_policy_reads_back_as_sent(cloudfront):
    ids = {"bucket": "b", "headers_policy": "p", "cert_cf": "arn:aws:acm:us-east-1:1:certificate/x"}
    config = W.distribution_config(ids, "E2OAC", CallerReference="fdk-cert-test")
    dist = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]
    read = cloudfront.get_distribution_config(Id=dist["Id"])["DistributionConfig"]
    assert read["ViewerCertificate"]["CloudFrontDefaultCertificate"] is False
    assert "ForwardedValues" not in read["DefaultCacheBehavior"]
