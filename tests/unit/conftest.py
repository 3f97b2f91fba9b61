"""Session fixtures of the unit tests: every plan the selected tests need is made once, at
session start, in parallel (tests/unit/plans.py), then read from memory by each test."""

from __future__ import annotations

import time

import pytest

from .inventory import Summary, summarize
from .plans import REFERENCE, Planner, PlanOutcome, PlanRequest, generated_files

_PLANNER = pytest.StashKey[Planner]()


def wanted_plans(items) -> list[PlanRequest]:
    """The plans the selected tests need (their parameters that have a plan_request())."""
    wanted: dict[PlanRequest, None] = {}
    for item in items:
        for value in getattr(getattr(item, "callspec", None), "params", {}).values():
            if hasattr(value, "plan_request"):
                wanted[value.plan_request()] = None
    return list(wanted)


@pytest.fixture(scope="session")
def planner(request, pytestconfig) -> Planner:
    if not (REFERENCE / "main.tf").is_file():
        pytest.fail(f"no reference root at {REFERENCE}", pytrace=False)
    planner = Planner()
    pytestconfig.stash[_PLANNER] = planner
    planner.reference_files_before = generated_files(REFERENCE)
    started = time.monotonic()
    try:
        planner.plan_many(wanted_plans(request.session.items))
    except (RuntimeError, OSError) as exc:  # no terraform binary, unreadable files
        pytest.fail(f"cannot plan the reference: {exc}", pytrace=False)
    planner.warmup_seconds = round(time.monotonic() - started, 1)
    return planner


@pytest.fixture(scope="session")
def summary_of(planner):
    """outcome -> Summary, computed once per plan."""
    summaries: dict[str, Summary] = {}

    def get(outcome: PlanOutcome) -> Summary:
        if outcome.key not in summaries:
            summaries[outcome.key] = summarize(outcome.plan)
        return summaries[outcome.key]

    return get


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    planner = config.stash.get(_PLANNER, None)
    if planner is not None:
        seconds = getattr(planner, "warmup_seconds", "?")
        terminalreporter.write_line(f"{planner.stats.line()} (session start: {seconds}s)")
