"""Mutation proofs: every plan-time control fails on a root broken for it, and only then."""

from __future__ import annotations

import pytest

from fdk_guard import catalogue, verdicts
from tests.policies import harness

TABLE = harness.load_table()
BASELINES = [f"baseline:{n}" for n in TABLE["baselines"]]
MUTATIONS = [m["name"] for m in TABLE["mutations"]]


def _why(case: harness.Case, controls: set[str]) -> str:
    rows = [r for r in case.rows if r.control in controls and r.status == "fail"]
    return "\n".join(f"  {r.engine} {r.control} {r.resource}: {r.message}" for r in rows)


@pytest.mark.slow
@pytest.mark.parametrize("name", BASELINES)
def test_baseline_fails_no_control(judged, name):
    case = judged[name]
    failing = case.failing()
    assert failing == set(), f"{name} fails {sorted(failing)}:\n{_why(case, failing)}"


@pytest.mark.slow
@pytest.mark.parametrize("name", MUTATIONS)
def test_mutation_fails_exactly_its_controls(judged, name):
    case = judged[name]
    failing = case.failing()
    extra, missing = failing - case.fails, case.fails - failing
    assert not extra and not missing, (
        f"{name}: expected {sorted(case.fails)}, got {sorted(failing)}\n"
        f"unexpected failures:\n{_why(case, extra)}\nmissing: {sorted(missing)}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", BASELINES + MUTATIONS)
def test_compliance_fails_exactly_its_scenarios(judged, name):
    """terraform-compliance fails exactly the scenarios under `compliance` (none on a
    baseline), each naming a resource, and only within the controls the others fail."""
    case = judged[name]
    failing = case.failing_scenarios()
    extra, missing = failing - case.scenarios, case.scenarios - failing
    assert not extra and not missing, (
        f"{name}: compliance fails scenarios {sorted(failing)}, expected "
        f"{sorted(case.scenarios)}:\n{_why(case, case.failing(engines=('compliance',)))}"
    )
    rows = [r for r in case.rows if r.engine == "compliance" and r.status == "fail"]
    assert all(r.resource for r in rows), [r.message for r in rows if not r.resource]
    controls = case.failing(engines=("compliance",))
    assert controls <= (case.fails or set()), f"{name}: compliance alone fails {controls}"


def test_every_scenario_fails_on_a_mutation_of_its_control():
    """Each scenario is proven: some mutation of its own control makes it fail."""
    from tests.compliance.features import scenarios

    by_name = {sc.name: sc for sc in scenarios()}
    proven: dict[str, set[str]] = {}
    for m in TABLE["mutations"]:
        for name in m.get("compliance", []):
            assert name in by_name, f"{m['name']}: no scenario named {name!r}"
            assert by_name[name].controls[0] in m["fails"], (m["name"], name)
            proven.setdefault(name, set()).update(m["fails"])
    unproven = [n for n, sc in by_name.items() if sc.controls[0] not in proven.get(n, set())]
    assert unproven == []


@pytest.mark.slow
@pytest.mark.parametrize("name", [m["name"] for m in TABLE["mutations"] if m.get("decided")])
def test_known_container_definitions_are_decided(judged, name):
    """With container definitions the plan can show, the task-definition checks decide."""
    case = judged[name]
    for control in case.decided:
        rows = [r for r in case.rows if r.control == control and r.engine == "graph"]
        assert rows and all(r.status in ("pass", "not_applicable") for r in rows), (
            f"{control}: {[(r.status, r.message) for r in rows]}"
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "control", "other", "engines"),
    [
        ("net-03-second-internal-alb", "FDK-NET-03", "aws_lb.internal_tools", ("compliance",)),
        (
            "ecs-02-second-target-group",
            "FDK-ECS-02",
            "aws_lb_target_group.admin",
            ("checkov", "compliance"),
        ),
        (
            "data-03-second-database",
            "FDK-DATA-03",
            "aws_db_instance.reports",
            ("checkov", "compliance"),
        ),
        (
            "ecs-01-second-service",
            "FDK-ECS-01",
            "aws_ecs_service.worker",
            ("checkov", "compliance"),
        ),
        (
            "ecs-01-second-service",
            "FDK-ECS-01",
            "aws_ecs_task_definition.worker",
            ("checkov", "compliance"),
        ),
    ],
)
def test_what_is_not_the_servers_is_not_held_to_its_promise(judged, name, control, other, engines):
    """Only the FDK server's ALB, target group, database and service are held to NET-03,
    ECS-02, DATA-03 and ECS-01: with every engine together the control passes on a root with
    another one.
    The per-resource engines cannot tell which is the server's and defer theirs; the graph
    finds it is not."""
    case = judged[name]
    rows = [r for r in case.rows if r.control == control]
    partial = catalogue.partial_engines().get(control, ())
    assert verdicts.control_status(rows, partial) == "pass", [
        (r.engine, r.status, r.resource) for r in rows
    ]
    theirs = {(r.engine, r.status) for r in rows if r.resource.endswith(other)}
    assert theirs == {("graph", "not_applicable"), *((e, "deferred") for e in engines)}


@pytest.mark.slow
def test_second_run_replans_nothing(judged):
    replanned = [name for name, case in judged.items() if case.replanned]
    assert replanned == []


@pytest.mark.slow
def test_what_the_configuration_shows_is_judged_before_apply(judged):
    """The reference's task definition is unknown in the plan (it names a secret's ARN);
    its configuration shows the server's environment: the graph judges it, not defers it."""
    case = judged["baseline:reference"]
    rows = [r for r in case.rows if r.control == "FDK-ECS-03" and r.engine == "graph"]
    assert rows and {r.status for r in rows} == {"pass"}


def test_every_plan_time_control_has_a_mutation():
    from tests.policies import test_change_safety

    proven = {c for m in TABLE["mutations"] for c in m["fails"]}
    # A deletion needs prior state, which no override of an empty-state plan can give.
    proven |= test_change_safety.PROVEN
    plan_time = {c.id for c in catalogue.load().values() if not c.e2e_only}
    assert plan_time - proven == set()


def test_every_mutation_folder_is_used_and_exists():
    used = {f for m in TABLE["mutations"] for f in (m["files"] if "files" in m else [m["name"]])}
    for folder in used:
        assert (harness.MUTATIONS / folder).is_dir(), folder
        assert list((harness.MUTATIONS / folder).rglob("*.tf")), folder


@pytest.mark.slow
@pytest.mark.parametrize("name", [m["name"] for m in TABLE["mutations"] if m.get("not_applicable")])
def test_absent_parts_are_not_applicable(judged, name):
    """What a root does not have is neither passed nor failed, by any engine."""
    case = judged[name]
    for control in case.not_applicable:
        rows = [r for r in case.rows if r.control == control]
        wrong = [(r.engine, r.status, r.message) for r in rows if r.status != "not_applicable"]
        assert rows and not wrong, f"{control}: {wrong}"


@pytest.mark.slow
def test_reference_passes_checkov_builtins(judged, monkeypatch):
    """The reference passes checkov's built-in checks, or skips each with a written reason."""
    from fdk_guard import engines

    monkeypatch.setenv("FDK_CHECKOV_BUILTINS", "1")
    case = judged["baseline:reference"]
    rows = engines.evaluate_plan(
        case.plan_path, case.plan, root=harness.REPO / "reference", engines=("checkov",)
    )
    failing = [r for r in rows if r.control.startswith("CKV") and r.status == "fail"]
    assert failing == [], "\n".join(f"{r.control} {r.resource}: {r.message}" for r in failing)
    skipped = [r for r in rows if r.control.startswith("CKV") and r.status == "not_applicable"]
    assert all(r.message.startswith("skipped: ") and len(r.message) > 20 for r in skipped)
