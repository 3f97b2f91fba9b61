"""FDK-DNS-01: the server's name resolves, and its HTTPS and HTTP ports answer (testinfra)."""

from __future__ import annotations

from fdk_guard.e2e.probes._common import failed, passed
from fdk_guard.e2e.probes._testinfra import addresses, reachable
from fdk_guard.e2e.target import Target
from fdk_guard.findings import Finding

CONTROL = "FDK-DNS-01"


def probe(target: Target) -> list[Finding]:
    name, https_port = target.server_host, target.server_port
    expected = f"{name} to resolve and accept connections on ports {https_port} and 80"
    found, how = addresses(target.resolver, name)
    if not found:
        return [failed(CONTROL, target.server_url, expected, f"{name} does not resolve ({how})")]
    closed = [str(p) for p in (https_port, 80) if not reachable(target.resolver, name, p)]
    if closed:
        where = f"{name} ({', '.join(found)} via {how})"
        return [
            failed(
                CONTROL,
                target.server_url,
                expected,
                f"{where}: port {', '.join(closed)} unreachable",
            )
        ]
    return [
        passed(
            CONTROL,
            target.server_url,
            f"{name} resolves to {', '.join(found)} (via {how}); "
            f"ports {https_port} and 80 reachable",
        )
    ]
