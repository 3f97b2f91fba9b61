"""Every variable of the deployment page's Configuration table is asserted by a scenario."""

from __future__ import annotations

import pytest

from .cases import CONFIGURATION_VARIABLES, assigned_variables, scenarios
from .inventory import load_inventory


def test_every_configuration_variable_is_covered_by_an_inventory():
    covered = set()
    for scenario in scenarios():
        covered |= set(load_inventory(scenario.inventory).get("covers") or [])
    missing = [v for v in CONFIGURATION_VARIABLES if v not in covered]
    assert not missing, f"no scenario inventory `covers` these page variables: {missing}"


@pytest.mark.parametrize("scenario", scenarios(), ids=str)
def test_covered_variables_are_set_by_the_scenario_and_asserted(scenario):
    """A scenario covers a variable only if its tfvars sets it explicitly and its
    inventory asserts something (values, counts or outputs)."""
    inventory = load_inventory(scenario.inventory)
    covers = set(inventory.get("covers") or [])
    unset = sorted(covers - assigned_variables(scenario.tfvars))
    assert not unset, f"{scenario}: covers {unset} but {scenario.tfvars.name} does not set them"
    assert inventory.get("values") or inventory.get("counts") or inventory.get("outputs")
