"""Live checks (engine "live"): the deployed account, read once, judged by pure checks.

    findings = fdk_guard.live.run()   # reads FDK_TF_OUTPUTS / FDK_LIVE_TAGS, AWS_* as boto3 does

Every AWS call goes through the read-only guard (fdk_guard.live.guard).
"""

from __future__ import annotations

import os

from fdk_guard.errors import GuardError
from fdk_guard.findings import Finding


def region_of(env, outputs_region: str = "") -> str:
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or outputs_region
    if not region:
        raise GuardError("live checks need a region: set AWS_REGION (or a `region` output)")
    return region


def read_account(target, env=None, *, endpoint_url: str | None = None):
    """The snapshot of the deployment `target` (a Scope) names; a failed read is a GuardError."""
    from fdk_guard.live import scope, snapshot

    env = os.environ if env is None else env
    outputs_region = ""
    if env.get("FDK_TF_OUTPUTS"):
        value = scope.read_outputs(env["FDK_TF_OUTPUTS"]).get("region")
        outputs_region = value if isinstance(value, str) else ""
    snap = snapshot.gather(
        target,
        region=region_of(env, outputs_region),
        endpoint_url=endpoint_url or env.get("FDK_AWS_ENDPOINT_URL") or None,
    )
    if snap.errors:
        # A read that failed could turn a fail into a pass: the run cannot be trusted.
        more = f" (and {len(snap.errors) - 1} more)" if len(snap.errors) > 1 else ""
        raise GuardError(f"live: could not read {snap.errors[0]}{more}")
    return snap


def run(env=None, *, endpoint_url: str | None = None, only=()) -> list[Finding]:
    """Gather the snapshot and run every live check; AWS errors are one-line GuardErrors."""
    from fdk_guard.live import checks, scope

    target = scope.from_environment(env)
    return checks.run_all(read_account(target, env, endpoint_url=endpoint_url), only)
