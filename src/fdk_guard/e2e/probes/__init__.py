"""The post-deploy probes, one module per concern; each returns Findings (engine "probe").

`PROBES` maps each control to the function that proves it on a Target; the order is the
order they run in (/healthz first: it waits for a deployment still rolling out).
"""

from __future__ import annotations

from collections.abc import Callable

from fdk_guard.e2e.probes import cors, database, dns, healthz, redirect, tls, web_headers
from fdk_guard.e2e.target import Target
from fdk_guard.findings import Finding

Probe = Callable[[Target], list[Finding]]

PROBES: dict[str, Probe] = {
    healthz.CONTROL: healthz.probe,
    redirect.SERVER_CONTROL: redirect.probe_server,
    tls.CONTROL: tls.probe,
    web_headers.CONTROL: web_headers.probe,
    redirect.WASM_CONTROL: redirect.probe_wasm,
    cors.CONTROL: cors.probe,
    dns.CONTROL: dns.probe,
    database.CONTROL: database.probe,
}


def run(control: str, target: Target) -> list[Finding]:
    return PROBES[control](target)
