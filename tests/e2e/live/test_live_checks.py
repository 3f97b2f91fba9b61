"""The pytest view of the live checks (engine "live"): one test per check of fdk_guard.live.

The account is read once per run (session fixture), as `fdk-guard e2e` does; each check
then judges that snapshot. With no deployment named (FDK_TF_OUTPUTS with a `vpc_id`, or
FDK_LIVE_TAGS) there is nothing to read and these tests are skipped.
"""

from __future__ import annotations

import pytest

from fdk_guard import live
from fdk_guard.e2e.suite import NO_DEPLOYMENT
from fdk_guard.live import checks, scope, snapshot


@pytest.fixture(scope="session")
def live_snapshot() -> snapshot.Snapshot:
    named = scope.named()
    if named is None:
        pytest.skip(f"live checks: {NO_DEPLOYMENT}")
    return live.read_account(named)


@pytest.mark.parametrize(
    "live_check",
    [
        pytest.param(
            c, id=f"{c.control}-{c.name}", marks=pytest.mark.control(c.control, engine="live")
        )
        for c in checks.all_checks()
    ],
)
def test_live(live_snapshot, live_check, check):
    check(live_check.run(live_snapshot))
