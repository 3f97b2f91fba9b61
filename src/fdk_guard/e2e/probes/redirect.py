"""FDK-TLS-01 (server) and FDK-TLS-04 (WASM URLs): plain HTTP gets one 301 to HTTPS.

The redirect must keep host and path, land on HTTPS directly (no chain, no loop back to
plain HTTP), on the port the HTTPS URL names.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import httpx

from fdk_guard.catalogue import params
from fdk_guard.e2e import net
from fdk_guard.e2e.probes._common import failed, not_applicable, passed
from fdk_guard.e2e.target import Target
from fdk_guard.findings import Finding

SERVER_CONTROL = "FDK-TLS-01"
WASM_CONTROL = "FDK-TLS-04"
PROBE_PATH = "/fdk-guard/redirect-probe"

# the catalogue's redirect: HTTP_301 -> 301
STATUS = int(params("FDK-TLS-01")["redirect"]["status_code"].removeprefix("HTTP_"))


def _same(url_a: str, url_b: str) -> bool:
    a, b = urlsplit(url_a), urlsplit(url_b)
    return (a.scheme, a.hostname, a.port or 443, a.path or "/") == (
        b.scheme,
        b.hostname,
        b.port or 443,
        b.path or "/",
    )


def check(target: Target, https_url: str, control: str) -> Finding:
    parts = urlsplit(https_url)
    host = parts.hostname or ""
    plain = f"http://{host}{PROBE_PATH}"
    wanted = f"https://{parts.netloc}{PROBE_PATH}"
    expected = f"{plain} to answer a single {STATUS} to {wanted}"
    try:
        with net.client(target) as client:
            first = client.get(plain)
            location = first.headers.get("location")
            if first.status_code != STATUS or not location:
                where = f" to {location}" if location else f" {net.excerpt(first.text, 60)!r}"
                return failed(control, plain, expected, f"{first.status_code}{where}")
            landed = urljoin(plain, location)
            if not _same(landed, wanted):
                why = " (back to plain HTTP: a loop)" if landed.startswith("http:") else ""
                return failed(control, plain, expected, f"{STATUS} to {landed}{why}")
            try:
                second = client.get(landed)
            except httpx.HTTPError as err:
                why = net.describe_error(err)
                return failed(control, plain, expected, f"{STATUS} to {landed}, which fails: {why}")
    except httpx.HTTPError as err:
        return failed(control, plain, expected, net.describe_error(err))
    if second.is_redirect:
        chained = second.headers.get("location", "?")
        return failed(control, plain, expected, f"a chain: {landed} redirects again to {chained}")
    return passed(
        control, plain, f"{plain} answers {STATUS} to {landed} ({second.status_code} there)"
    )


def probe_server(target: Target) -> list[Finding]:
    return [check(target, target.server_url, SERVER_CONTROL)]


def probe_wasm(target: Target) -> list[Finding]:
    if not target.wasm_urls:
        return [not_applicable(WASM_CONTROL, "FDK_WASM_URLS", "no WASM URL configured")]
    return [check(target, url, WASM_CONTROL) for url in target.wasm_urls]
