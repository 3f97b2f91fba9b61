"""Live AWS state, read-only (engine "live"): one test per live check of fdk_guard.live.

The account is read once per run (session fixture); each check then judges that snapshot.
The deployment is named by FDK_TF_OUTPUTS (a `terraform output -json` file with `vpc_id`)
or found by FDK_LIVE_TAGS (`Key=Value,...`); with neither, there is nothing to read and
these tests are skipped. FDK_AWS_ENDPOINT_URL points boto3 at an emulator (the local
deployment sets it); otherwise AWS credentials and region come from the environment.
"""

from __future__ import annotations

import os

import pytest

from fdk_guard.errors import GuardError
from fdk_guard.live import checks, region_of, scope, snapshot


def _named_deployment() -> scope.Scope | None:
    try:
        found = scope.from_environment()
    except GuardError as err:
        if "need FDK_TF_OUTPUTS" in str(err):
            return None
        raise
    return found if (found.vpc_ids or found.tags) else None


@pytest.fixture(scope="session")
def live_snapshot() -> snapshot.Snapshot:
    target = _named_deployment()
    if target is None:
        pytest.skip(
            "live checks: no deployment named (FDK_TF_OUTPUTS with vpc_id, or FDK_LIVE_TAGS)"
        )
    snap = snapshot.gather(
        target,
        region=region_of(os.environ),
        endpoint_url=os.environ.get("FDK_AWS_ENDPOINT_URL") or None,
    )
    if snap.errors:
        raise GuardError(f"live: could not read {snap.errors[0]}")
    return snap


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
