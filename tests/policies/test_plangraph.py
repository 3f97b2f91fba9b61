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


def test_a_json_template_around_unknowns_is_read_with_unknown_leaves() -> None:
    from fdk_guard.plangraph.values import Unknown, partial_json

    host, port = Unknown(reason="host"), Unknown(reason="port")
    env = Unknown(reason="env", doc=[{"name": "A", "value": Unknown(reason="a")}])
    doc = partial_json(
        ('[{"image": "repo:', host, '", "port": ', port, ', "env": ', env, ', "q": "x\\"y"}]')
    )
    assert doc[0]["port"] is port  # a value standing alone
    assert doc[0]["env"][0]["value"] is env.doc[0]["value"]  # a jsonencode()'s structure
    image = doc[0]["image"]  # a string around one: its known part kept
    assert is_unknown(image) and image.parts == ("repo:", host)
    assert doc[0]["q"] == 'x"y'  # an escaped quote does not end the string
    assert partial_json(("not json ", host)) is None


def test_sources_hold_the_templates_templatefile_reads(tmp_path) -> None:
    from fdk_guard.plangraph.modules import collect_sources, template_key

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "server.json.tpl").write_text("[]")
    (tmp_path / "bare.tpl").write_text("{}")
    (tmp_path / "outside.tpl").write_text("secret")
    (tmp_path / "main.tf").write_text(
        'locals {\n  a = templatefile("${path.module}/t/server.json.tpl", {})\n'
        '  b = templatefile("bare.tpl", {})\n}\n'
        'module "m" {\n  source = "./m"\n}\n'
    )
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(
        'locals {\n  a = templatefile("${path.module}/../outside.tpl", {})\n'
        '  b = templatefile("bare.tpl", {})\n}\n'
    )
    sources = collect_sources(tmp_path)
    assert sources[""][template_key("t/server.json.tpl")] == "[]"
    assert sources[""][template_key("bare.tpl")] == "{}"  # the root's working directory
    # outside its folder, and a bare path in a module (relative to the root, not to it)
    assert [k for k in sources["m"] if k.startswith("template:")] == []


def test_a_rule_opens_a_tcp_port_only_over_tcp_or_every_protocol() -> None:
    import importlib

    from fdk_guard.live.checks._common import covers_port
    from fdk_guard.plangraph import checks
    from fdk_guard.plangraph.values import Unknown

    checks.load_checks()  # the graph policies' package, loaded from policies/graph
    Ingress = importlib.import_module(f"{checks.PACKAGE}._lib").Ingress

    def rule(protocol):
        return Ingress("sg", "rule", 5432, 5432, protocol, [], set())

    assert [rule(p).covers(5432) for p in ("tcp", "6", "-1", "all")] == [True] * 4
    assert rule("udp").covers(5432) is False  # not the database's port, nor SSH's
    assert rule(Unknown()).covers(5432) is None
    perm = {"FromPort": 5432, "ToPort": 5432}
    assert covers_port({**perm, "IpProtocol": "tcp"}, 5432)
    assert not covers_port({**perm, "IpProtocol": "udp"}, 5432)
    assert covers_port({"IpProtocol": "-1"}, 5432)
