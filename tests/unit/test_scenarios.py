"""Each scenario's plan matches its inventory (tests/unit/scenarios/<name>.yaml)."""

from __future__ import annotations

import pytest

from .cases import scenarios
from .inventory import compare_inventory, load_inventory, report


@pytest.mark.slow
@pytest.mark.parametrize("scenario", scenarios(), ids=str)
def test_plan_matches_inventory(planner, summary_of, scenario):
    outcome = planner.plan(scenario.plan_request())
    if outcome.error:
        pytest.fail(f"scenario {scenario}: plan failed: {outcome.error}", pytrace=False)
    mismatches = compare_inventory(load_inventory(scenario.inventory), summary_of(outcome))
    if mismatches:
        pytest.fail(report(str(scenario), mismatches), pytrace=False)
