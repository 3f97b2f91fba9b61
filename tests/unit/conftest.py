"""Session fixtures of the unit tests: every plan the selected tests need is made once, at
session start, in parallel (fdk_guard.terraform.plan_many through tests/unit/plans.py),
then read from memory by each test."""

from __future__ import annotations

import time

import pytest

from fdk_guard.terraform import PlanRequest

from .inventory import Summary, summarize
from .plans import REFERENCE, PlanOutcome, Plans, generated_files

_PLANS = pytest.StashKey[Plans]()


def wanted_plans(items) -> list[PlanRequest]:
    """The plans the selected tests need (their parameters that have a plan_request())."""
    wanted: dict[PlanRequest, None] = {}
    for item in items:
        for value in getattr(getattr(item, "callspec", None), "params", {}).values():
            if hasattr(value, "plan_request"):
                wanted[value.plan_request()] = None
    return list(wanted)


@pytest.fixture(scope="session")
def planner(request, pytestconfig) -> Plans:
    if not (REFERENCE / "main.tf").is_file():
        pytest.fail(f"no reference root at {REFERENCE}", pytrace=False)
    plans = Plans()
    pytestconfig.stash[_PLANS] = plans
    plans.reference_files_before = generated_files(REFERENCE)
    started = time.monotonic()
    plans.plan_many(wanted_plans(request.session.items))
    plans.warmup_seconds = round(time.monotonic() - started, 1)
    return plans


@pytest.fixture(scope="session")
def summary_of(planner):
    """outcome -> Summary, computed once per plan."""
    summaries: dict[PlanRequest, Summary] = {}

    def get(outcome: PlanOutcome) -> Summary:
        if outcome.request not in summaries:
            summaries[outcome.request] = summarize(outcome.plan)
        return summaries[outcome.request]

    return get


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    plans = config.stash.get(_PLANS, None)
    if plans is not None:
        seconds = getattr(plans, "warmup_seconds", "?")
        terminalreporter.write_line(f"{plans.line()} (session start: {seconds}s)")
