"""The pytest view of the post-deploy probes: one test per probe of fdk_guard.e2e.probes.

`fdk-guard e2e` runs the same probes from the package (fdk_guard.e2e.suite); this view is
for `pytest tests/e2e` and its own options (-k, -x, --pdb ...).
"""

import pytest

from fdk_guard.e2e.probes import PROBES


@pytest.mark.parametrize("control", [pytest.param(c, marks=pytest.mark.control(c)) for c in PROBES])
def test_probe(target, check, control):
    check(PROBES[control](target))
