"""The engine's own behaviour, without a plan: results parsing, findings, errors."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from fdk_guard.engines import compliance
from fdk_guard.errors import GuardError
from tests.conftest import TOOLS

CONSOLE = """\
Feature: Logging  # /repo/features/logging.feature

    @FDK-LOG-01
    Scenario: Every CloudWatch log group keeps logs exactly 14 days
        Given I have aws_cloudwatch_log_group defined
        Then it must contain retention_in_days
\t\tFailure: retention_in_days in module.x.aws_cloudwatch_log_group.a["k"] not 14. It is set to 30.
\t\tFailure: retention_in_days property in aws_cloudwatch_log_group.b is not 14. It is set to 7.
        And its value must be 14
          Failure: \r

Feature: Data  # /repo/features/data.feature

    @FDK-DATA-02
    Scenario: No literal database password in the code
        Given I have aws_db_instance defined
\t\tFailure: password property in aws_db_instance.db is not Null. It is set to "hunter2-secret".
"""


def cucumber(*features: tuple[str, list[tuple[str, list[str], list[str], str]]]) -> list:
    """features: (name, [(scenario, tags, step statuses, error of the failed step)])."""
    return [
        {
            "name": name,
            "elements": [
                {
                    "name": sc,
                    "tags": [{"name": f"@{t}"} for t in tags],
                    "steps": [
                        {
                            "name": f"step {i}",
                            "result": {
                                "status": st,
                                **({"error_message": err} if st == "failed" else {}),
                            },
                        }
                        for i, st in enumerate(states)
                    ],
                }
                for sc, tags, states, err in elements
            ],
        }
        for name, elements in features
    ]


def parsed(tmp_path: Path, data: list) -> list[compliance.Scenario]:
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data))
    return compliance.parse_results(path)


def test_failed_scenario_gives_one_fail_per_resource_with_the_value_found(tmp_path) -> None:
    data = cucumber(
        (
            "Logging",
            [
                (
                    "Every CloudWatch log group keeps logs exactly 14 days",
                    ["FDK-LOG-01"],
                    ["passed", "failed", "skipped"],
                    "\r  ",
                )
            ],
        ),
    )
    scenarios = parsed(tmp_path, data)
    compliance.attach_console_messages(scenarios, CONSOLE)
    rows = compliance.to_findings(scenarios)
    assert [(r.control, r.status, r.engine, r.resource) for r in rows] == [
        ("FDK-LOG-01", "fail", "compliance", 'module.x.aws_cloudwatch_log_group.a["k"]'),
        ("FDK-LOG-01", "fail", "compliance", "aws_cloudwatch_log_group.b"),
    ]
    assert "It is set to 30" in rows[0].message and "It is set to 7" in rows[1].message


def _alb_plan(*names: str) -> dict:
    return {
        "resource_changes": [
            {
                "address": f"aws_lb.{n}",
                "type": "aws_lb",
                "mode": "managed",
                "change": {"actions": ["create"], "after": {"load_balancer_type": "application"}},
            }
            for n in names
        ]
    }


@pytest.mark.parametrize(("albs", "want"), [(("only",), "fail"), (("server", "other"), "deferred")])
def test_an_internal_alb_fails_net_03_unless_another_may_be_the_servers(albs, want) -> None:
    """NET-03 holds the FDK server's ALB; with two, the tool cannot tell which it is."""
    sc = compliance.Scenario(
        "Network",
        "No application load balancer is internal",
        ("FDK-NET-03",),
        "failed",
        messages=[f"aws_lb.{albs[-1]} is internal"],
        steps=(("Given I have aws_lb defined", "passed"), ("Then it must fail", "failed")),
    )
    rows = compliance.to_findings([sc], plan=_alb_plan(*albs))
    assert [(r.resource, r.status) for r in rows] == [(f"aws_lb.{albs[-1]}", want)]


def _tg_plan(health_port: str, service: bool) -> dict:
    tg = {"port": 80, "health_check": [{"path": "/healthz", "port": health_port}]}
    svc = {"load_balancer": [{"container_port": 8080}]} if service else {"load_balancer": []}
    return {
        "resource_changes": [
            {
                "address": address,
                "type": address.split(".")[0],
                "mode": "managed",
                "change": {"actions": ["create"], "after": after},
            }
            for address, after in (("aws_lb_target_group.server", tg), ("aws_ecs_service.s", svc))
        ]
    }


@pytest.mark.parametrize(
    ("health_port", "service", "want"),
    [
        ("traffic-port", True, "deferred"),  # probes the registered container port
        ("traffic-port", False, "fail"),  # no service registers: the target group's port
        ("80", True, "fail"),  # a port of its own: judged as it is
    ],
)
def test_traffic_port_of_a_registering_service_is_not_guessed(health_port, service, want):
    sc = compliance.Scenario(
        "ECS",
        "A target group on another port than 8080 health-checks port 8080",
        ("FDK-ECS-02", compliance.REGISTERED_PORT_TAG),
        "failed",
        messages=["port property in aws_lb_target_group.server resource does not match"],
        steps=(("Given I have aws_lb_target_group defined", "passed"),),
    )
    rows = compliance.to_findings([sc], plan=_tg_plan(health_port, service))
    assert [(r.resource, r.status) for r in rows] == [("aws_lb_target_group.server", want)]


def test_passed_and_skipped_scenarios(tmp_path) -> None:
    data = cucumber(
        (
            "TLS",
            [
                ("ok", ["FDK-TLS-01"], ["passed", "passed"], ""),
                ("no resource", ["FDK-TLS-04"], ["skipped", "skipped"], ""),
                ("filtered out", ["FDK-NET-07", "noskip"], ["passed", "skipped", "skipped"], ""),
            ],
        ),
    )
    rows = compliance.to_findings(parsed(tmp_path, data))
    assert [(r.control, r.status) for r in rows] == [
        ("FDK-TLS-01", "pass"),
        ("FDK-TLS-04", "not_applicable"),
        ("FDK-NET-07", "not_applicable"),
    ]


def test_sensitive_values_never_reach_a_message(tmp_path) -> None:
    data = cucumber(
        ("Data", [("No literal database password in the code", ["FDK-DATA-02"], ["failed"], " ")]),
    )
    scenarios = parsed(tmp_path, data)
    compliance.attach_console_messages(scenarios, CONSOLE)
    rows = compliance.to_findings(scenarios, {"hunter2-secret"})
    assert rows[0].status == "fail" and rows[0].resource == "aws_db_instance.db"
    assert "hunter2-secret" not in rows[0].message


def test_scenario_without_a_control_tag_is_a_suite_error(tmp_path) -> None:
    data = cucumber(("X", [("untagged", ["noskip"], ["passed"], "")]))
    with pytest.raises(GuardError, match="no control tag"):
        compliance.to_findings(parsed(tmp_path, data))


def test_a_crashing_step_is_a_suite_error_not_a_verdict(tmp_path) -> None:
    data = cucumber(
        ("X", [("crashes", ["FDK-NET-06"], ["passed", "failed"], "TypeError: bad operand")]),
    )
    with pytest.raises(GuardError, match="crashed: TypeError"):
        compliance.to_findings(parsed(tmp_path, data))


def test_unreadable_results_are_a_suite_error(tmp_path) -> None:
    path = tmp_path / "results.json"
    path.write_text("{not json")
    with pytest.raises(GuardError, match="unreadable"):
        compliance.parse_results(path)


def test_missing_binary_is_a_suite_error(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(compliance.ENV_BINARY, str(tmp_path / "nowhere"))
    with pytest.raises(GuardError, match="not an executable"):
        compliance.evaluate(tmp_path / "plan.json", {"format_version": "1.2"})
    monkeypatch.delenv(compliance.ENV_BINARY)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GuardError, match="terraform-compliance not found"):
        compliance.binary()


def test_a_tool_that_fails_to_run_is_a_suite_error(monkeypatch, tmp_path) -> None:
    fake = tmp_path / "terraform-compliance"
    fake.write_text("#!/bin/sh\necho 'FATAL ERROR: syntax error in feature' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(compliance.ENV_BINARY, str(fake))
    with pytest.raises(GuardError, match=r"exit 3\).*syntax error"):
        compliance.evaluate(None, {"format_version": "1.2"})


def test_start_runs_in_the_background_and_reraises(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(compliance.ENV_BINARY, str(tmp_path / "nowhere"))
    join = compliance.start(None, {"format_version": "1.2"})
    with pytest.raises(GuardError):
        join()


TOOL_VENV = TOOLS / "terraform-compliance" / "bin"


@pytest.mark.skipif(
    not (os.environ.get(compliance.ENV_BINARY) or (TOOL_VENV / "terraform-compliance").is_file()),
    reason="needs terraform-compliance (nox -s test builds its virtualenv)",
)
def test_real_tool_on_an_empty_plan_finds_nothing_to_judge(monkeypatch, tmp_path) -> None:
    if not os.environ.get(compliance.ENV_BINARY):
        monkeypatch.setenv(compliance.ENV_BINARY, str(TOOL_VENV / "terraform-compliance"))
    # Every scenario is skipped: a plan with no resource has nothing any promise is about.
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "planned_values": {"root_module": {}},
        "resource_changes": [],
        "configuration": {"root_module": {}},
    }
    rows = compliance.evaluate(None, plan)
    assert rows and {r.status for r in rows} == {"not_applicable"}
