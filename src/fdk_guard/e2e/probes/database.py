"""FDK-NET-05: the database endpoint from the Terraform outputs is not reachable from here.

Run from outside the VPC (a laptop, a CI runner), a private RDS instance must not accept a
TCP connection; testinfra's check gives up after about a second.
"""

from __future__ import annotations

from fdk_guard.e2e.probes._common import failed, not_applicable, passed
from fdk_guard.e2e.probes._testinfra import addresses, reachable
from fdk_guard.e2e.target import Target
from fdk_guard.findings import Finding

CONTROL = "FDK-NET-05"


def probe(target: Target) -> list[Finding]:
    db = target.database
    if db is None:
        why = "no database endpoint in FDK_TF_OUTPUTS (database_endpoint, or database_address)"
        return [not_applicable(CONTROL, "FDK_TF_OUTPUTS", why)]
    expected = f"the database endpoint {db.label} to refuse or ignore connections from outside"
    found, how = addresses(target.resolver, db.host)
    if not found:
        return [passed(CONTROL, db.label, f"{db.label} does not resolve here ({how})")]
    if reachable(target.resolver, db.host, db.port):
        return [failed(CONTROL, db.label, expected, f"{db.label} accepts TCP connections")]
    return [passed(CONTROL, db.label, f"{db.label} not reachable from here")]
