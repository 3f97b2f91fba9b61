"""After apply, as at plan time: only the FDK server's load balancer, target group, service
and database are held to NET-03, ECS-02, ECS-01, DATA-03 and NET-06's tasks -> database
link. Another application's internal ALB, a worker on EC2 capacity and a MySQL database in
the same VPC are `not_applicable`, and each addition is removed again so the other tests
see the good world."""

from __future__ import annotations

from . import world as W
from .conftest import judge


def _rows(world, control: str) -> list:
    return [f for f in judge(world, control) if f.control == control]


def test_another_internal_alb_and_its_target_group_are_not_the_servers(world):
    elb = world.client("elbv2")
    ids = world.ids
    lb = elb.create_load_balancer(
        Name=f"{W.NAME}-tools", Subnets=ids["private"], Scheme="internal"
    )["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(
        Name=f"{W.NAME}-tools",
        Protocol="HTTP",
        Port=9000,
        VpcId=ids["vpc"],
        TargetType="ip",
        HealthCheckPath="/status",
    )["TargetGroups"][0]["TargetGroupArn"]
    listener = elb.create_listener(
        LoadBalancerArn=lb,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
    )["Listeners"][0]["ListenerArn"]
    try:
        alb, groups = _rows(world, "FDK-NET-03"), _rows(world, "FDK-ECS-02")
        tls = [f for f in _rows(world, "FDK-TLS-02") if f.resource == lb]
    finally:
        elb.delete_listener(ListenerArn=listener)
        elb.delete_target_group(TargetGroupArn=tg)
        elb.delete_load_balancer(LoadBalancerArn=lb)
    assert {(f.resource, f.status) for f in alb} == {
        (ids["alb"], "pass"),
        (lb, "not_applicable"),
    }
    assert {(f.resource, f.status) for f in groups} == {(ids["tg"], "pass"), (tg, "not_applicable")}
    # it listens on HTTP only: TLS-02 asks an HTTPS listener of the server's ALB alone
    assert [f.status for f in tls] == ["not_applicable"]


def test_a_worker_on_ec2_capacity_is_not_the_servers_service(world):
    ecs = world.client("ecs")
    ids = world.ids
    td = ecs.register_task_definition(
        family=f"{W.NAME}-worker",
        requiresCompatibilities=["EC2"],
        networkMode="awsvpc",
        containerDefinitions=[{"name": "worker", "image": "busybox", "memory": 128}],
    )["taskDefinition"]["taskDefinitionArn"]
    worker = ecs.create_service(
        cluster=W.NAME,
        serviceName=f"{W.NAME}-worker",
        taskDefinition=td,
        desiredCount=1,
        launchType="EC2",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": ids["private"], "securityGroups": [ids["sg_tasks"]]}
        },
    )["service"]["serviceArn"]
    try:
        rows = _rows(world, "FDK-ECS-01")
    finally:
        ecs.delete_service(cluster=W.NAME, service=worker, force=True)
        ecs.deregister_task_definition(taskDefinition=td)
    assert {(f.resource, f.status) for f in rows} == {
        (ids["service"], "pass"),
        (worker, "not_applicable"),
    }


def test_another_applications_mysql_database_is_not_the_servers(world):
    rds = world.client("rds")
    other = rds.create_db_instance(
        DBInstanceIdentifier=f"{W.NAME}-reports",
        DBInstanceClass="db.t4g.micro",
        Engine="mysql",
        EngineVersion="8.0.35",
        AllocatedStorage=20,
        MasterUsername="reports",
        ManageMasterUserPassword=True,
        StorageEncrypted=True,
        KmsKeyId=world.ids["kms"],
        PubliclyAccessible=False,
        DBSubnetGroupName=f"{W.NAME}-db",
    )["DBInstance"]
    try:
        rows = _rows(world, "FDK-DATA-03")
        # no 5432 ingress from the server's tasks: not the server's, not held to the chain
        chain = _rows(world, "FDK-NET-06")
    finally:
        rds.delete_db_instance(DBInstanceIdentifier=other["DBInstanceIdentifier"])
    statuses = {f.status for f in rows if f.resource == other["DBInstanceArn"]}
    assert statuses == {"not_applicable"}
    assert {f.status for f in rows if f.resource != other["DBInstanceArn"]} == {"pass"}
    assert {f.status for f in chain if f.resource == other["DBInstanceArn"]} == {"not_applicable"}
    assert {f.status for f in chain if f.resource != other["DBInstanceArn"]} == {"pass"}
