"""Per-resource engines cannot tell the FDK server's ALB or target group from another:
with several in the plan their failures on them are deferred (fdk_guard.engines.subjects)."""

from __future__ import annotations

from fdk_guard.engines.subjects import one_of_many
from fdk_guard.findings import Finding


def plan(*resources: tuple[str, dict], deleted: tuple[str, ...] = ()) -> dict:
    return {
        "resource_changes": [
            {
                "address": address,
                "type": address.split(".")[-2],
                "mode": "managed",
                "change": {
                    "actions": ["delete"] if address in deleted else ["create"],
                    "after": after,
                },
            }
            for address, after in resources
        ]
    }


TG = ("aws_lb_target_group.server", {"port": 8080})
OTHER_TG = ("aws_lb_target_group.admin", {"port": 3000})
ALB = ("aws_lb.server", {"load_balancer_type": "application"})
NLB = ("aws_lb.tcp", {"load_balancer_type": "network"})


def fail(control: str, resource: str, engine: str = "checkov") -> Finding:
    return Finding(control, "fail", engine, resource, "health_check.path = '/health'")


def test_one_target_group_fails_as_judged() -> None:
    rows = [fail("FDK-ECS-02", "aws_lb_target_group.server")]
    assert one_of_many(rows, plan(TG)) == rows


def test_with_two_target_groups_a_failure_is_deferred_saying_why() -> None:
    rows = one_of_many([fail("FDK-ECS-02", "aws_lb_target_group.admin")], plan(TG, OTHER_TG))
    assert [r.status for r in rows] == ["deferred"]
    assert "2 target groups" in rows[0].message and "health_check.path" in rows[0].message


def test_passes_other_controls_and_other_types_are_left_alone() -> None:
    passed = Finding("FDK-ECS-02", "pass", "checkov", "aws_lb_target_group.server", "ok")
    other = fail("FDK-LOG-01", "aws_cloudwatch_log_group.a")
    not_a_group = fail("FDK-ECS-02", "aws_ecs_service.s", "compliance")
    rows = [passed, other, not_a_group]
    assert one_of_many(rows, plan(TG, OTHER_TG)) == rows


def test_a_deleted_target_group_and_a_network_load_balancer_do_not_count() -> None:
    gone = plan(TG, OTHER_TG, deleted=("aws_lb_target_group.admin",))
    assert one_of_many([fail("FDK-ECS-02", TG[0])], gone)[0].status == "fail"
    assert one_of_many([fail("FDK-NET-03", ALB[0], "compliance")], plan(ALB, NLB))[0].status == (
        "fail"
    )


def test_each_type_of_a_subject_is_counted_apart() -> None:
    """One service and one task definition: neither has another of its type to be."""
    service = ("aws_ecs_service.server", {})
    task = ("aws_ecs_task_definition.server", {})
    rows = [fail("FDK-ECS-01", service[0]), fail("FDK-ECS-01", task[0])]
    assert one_of_many(rows, plan(service, task)) == rows
    two = plan(service, task, ("aws_ecs_task_definition.tools", {}))
    assert [r.status for r in one_of_many(rows, two)] == ["fail", "deferred"]
