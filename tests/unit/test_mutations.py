"""Breaking the reference on purpose makes the unit tests fail, naming the address and the
expected and found values (tests/unit/mutations/: Terraform override files laid over a copy
of the reference; the reference itself is never modified)."""

from __future__ import annotations

import pytest

from .cases import Scenario, mutations
from .inventory import compare_inventory, load_inventory


@pytest.mark.slow
@pytest.mark.parametrize("mutation", mutations(), ids=str)
def test_mutation_is_reported_by_the_scenario_inventory(planner, summary_of, mutation):
    outcome = planner.plan(mutation.plan_request())
    if outcome.error:
        pytest.fail(f"mutation {mutation}: plan failed: {outcome.error}", pytrace=False)
    inventory = load_inventory(Scenario(mutation.scenario).inventory)
    reported = [str(m) for m in compare_inventory(inventory, summary_of(outcome))]
    # exactly the broken promise is reported: the expected lines and nothing else
    assert sorted(reported) == sorted(mutation.mismatches), (
        f"mutation {mutation} ({mutation.description}): expected the {mutation.scenario} "
        f"inventory to report exactly {list(mutation.mismatches)}; it reported {reported}"
    )
