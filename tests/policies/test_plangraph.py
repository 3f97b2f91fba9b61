"""The plan graph and the checkov result mapping, on small hand-written plans (no tools)."""

from __future__ import annotations

import pytest

from fdk_guard.engines.checkov import record_to_finding
from fdk_guard.errors import GuardError
from fdk_guard.plangraph import UNKNOWN, PlanGraph, is_unknown


def _plan() -> dict:
    """A root calling module "net" (two subnets) and an ECS service fed by its output."""
    subnet = {"type": "aws_subnet", "name": "private", "mode": "managed"}
    return {
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_ecs_service.svc",
                        "type": "aws_ecs_service",
                        "name": "svc",
                        "mode": "managed",
                        "values": {"network_configuration": [{"assign_public_ip": False}]},
                    }
                ],
                "child_modules": [
                    {
                        "address": "module.net",
                        "resources": [
                            dict(subnet, address=f"module.net.aws_subnet.private[{i}]", index=i)
                            | {"values": {"availability_zone": f"az-{i}"}}
                            for i in (0, 1)
                        ],
                    }
                ],
            }
        },
        "resource_changes": [
            {
                "address": "aws_ecs_service.svc",
                "change": {
                    "after_unknown": {
                        "network_configuration": [{"subnets": True, "security_groups": True}]
                    }
                },
            }
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_ecs_service.svc",
                        "mode": "managed",
                        "type": "aws_ecs_service",
                        "name": "svc",
                        "expressions": {
                            "network_configuration": [
                                {
                                    "subnets": {
                                        "references": ["module.net.private_ids", "module.net"]
                                    },
                                    "security_groups": {"references": ["local.groups"]},
                                }
                            ]
                        },
                    }
                ],
                "module_calls": {
                    "net": {
                        "source": "./net",
                        "module": {
                            "resources": [dict(subnet, address="aws_subnet.private")],
                            "outputs": {
                                "private_ids": {
                                    "expression": {"references": ["aws_subnet.private"]}
                                }
                            },
                        },
                    }
                },
            }
        },
    }


def test_unknown_values_stay_unknown():
    svc = PlanGraph(_plan()).resources["aws_ecs_service.svc"]
    assert is_unknown(svc.get("network_configuration", 0, "subnets"))
    assert svc.get("network_configuration", 0, "assign_public_ip") is False
    with pytest.raises(TypeError):
        bool(UNKNOWN)  # an unknown can never be mistaken for a decided value


def test_references_follow_module_outputs():
    g = PlanGraph(_plan())
    svc = g.resources["aws_ecs_service.svc"]
    assert g.refs(svc, "network_configuration", 0, "subnets") == {
        "module.net.aws_subnet.private[0]",
        "module.net.aws_subnet.private[1]",
    }


def test_a_reference_through_a_local_cannot_be_followed():
    g = PlanGraph(_plan())
    svc = g.resources["aws_ecs_service.svc"]
    assert g.refs(svc, "network_configuration", 0, "security_groups") is None


def test_not_a_plan_is_a_guard_error():
    with pytest.raises(GuardError):
        PlanGraph({"format_version": "1.2"})


def _record(result: dict, details=()) -> dict:
    return {
        "check_id": "FDK-LOG-01",
        "check_name": "retention",
        "resource": "aws_cloudwatch_log_group.x",
        "check_result": result,
        "details": list(details),
    }


def test_checkov_deferred_detail_becomes_deferred():
    row = record_to_finding(
        "skipped_checks", _record({"result": "SKIPPED"}, ["deferred: retention unknown"])
    )
    assert row.status == "deferred" and row.engine == "checkov"


def test_skip_comment_cannot_waive_an_fdk_control():
    rec = _record({"result": "SKIPPED", "suppress_comment": "not today"})
    assert record_to_finding("skipped_checks", rec).status == "fail"


def test_builtin_skip_comment_keeps_its_reason():
    rec = _record({"result": "SKIPPED", "suppress_comment": "redirect only"})
    rec["check_id"] = "CKV_AWS_260"
    row = record_to_finding("skipped_checks", rec)
    assert (row.control, row.status) == ("CKV_AWS_260", "not_applicable")
    assert "redirect only" in row.message


def test_rule_not_applicable_to_a_resource_gives_no_row():
    rec = _record({"result": "SKIPPED"}, ["not applicable"])
    assert record_to_finding("skipped_checks", rec) is None
