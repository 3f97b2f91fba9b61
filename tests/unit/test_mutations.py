"""Breaking the reference on purpose makes the unit tests fail, naming the address and the
expected and found values. The mutations are the one table's (tests/policies/mutations.yaml,
those with an `inventory`), planned as every layer plans them: once per run."""

from __future__ import annotations

import pytest

from .cases import Scenario, mutations
from .inventory import compare_inventory, load_inventory


@pytest.mark.slow
@pytest.mark.parametrize("mutation", mutations(), ids=str)
def test_mutation_is_reported_by_the_scenario_inventory(planner, summary_of, mutation):
    broken, baseline = planner.plan_many([mutation.broken, mutation.baseline])
    for outcome in (broken, baseline):
        if outcome.error:
            pytest.fail(f"mutation {mutation}: plan failed: {outcome.error}", pytrace=False)
    inventory = load_inventory(Scenario(mutation.scenario).inventory)
    reported, before = (
        {str(m) for m in compare_inventory(inventory, summary_of(o))} for o in (broken, baseline)
    )
    # exactly the broken promise is reported: the expected lines more, and none fewer
    assert sorted(reported - before) == sorted(mutation.mismatches), (
        f"mutation {mutation}: expected the {mutation.scenario} inventory to report exactly "
        f"{list(mutation.mismatches)} more than on the unbroken root; it reported "
        f"{sorted(reported - before)}"
    )
    assert before - reported == set()
