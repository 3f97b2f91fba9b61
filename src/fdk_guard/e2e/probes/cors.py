"""FDK-DATA-06: a CORS preflight to each WASM URL is allowed from the application origin
(the server's origin, on the application domain) and refused from a foreign origin.
A wildcard `Access-Control-Allow-Origin: *` is a failure either way.
"""

from __future__ import annotations

import httpx

from fdk_guard.e2e import net
from fdk_guard.e2e.probes._common import failed, not_applicable, passed
from fdk_guard.e2e.target import Target
from fdk_guard.findings import Finding

CONTROL = "FDK-DATA-06"
FOREIGN_ORIGIN = "https://foreign-origin.fdk-guard.invalid"


def preflight(client: httpx.Client, url: str, origin: str) -> tuple[bool, str | None, str]:
    """(allowed, Allow-Origin, what the answer said) for a preflight of GET from `origin`."""
    answer = client.options(url, headers={"Origin": origin, "Access-Control-Request-Method": "GET"})
    allow = answer.headers.get("access-control-allow-origin")
    allowed = answer.is_success and allow in (origin, "*")
    said = f"{answer.status_code}, Access-Control-Allow-Origin: {allow or '(none)'}"
    return allowed, allow, said


def check(target: Target, url: str) -> Finding:
    app = target.app_origin
    expected = f"preflight from {app} allowed (not with *), from {FOREIGN_ORIGIN} refused"
    try:
        with net.client(target) as client:
            app_ok, app_allow, app_said = preflight(client, url, app)
            foreign_ok, _, foreign_said = preflight(client, url, FOREIGN_ORIGIN)
    except httpx.HTTPError as err:
        return failed(CONTROL, url, expected, net.describe_error(err))
    problems = []
    if not app_ok or app_allow == "*":
        problems.append(f"application origin got {app_said}")
    if foreign_ok:
        problems.append(f"foreign origin got {foreign_said}")
    if problems:
        return failed(CONTROL, url, expected, "; ".join(problems))
    return passed(
        CONTROL, url, f"{app} allowed ({app_said}); foreign origin refused ({foreign_said})"
    )


def probe(target: Target) -> list[Finding]:
    if not target.wasm_urls:
        return [not_applicable(CONTROL, "FDK_WASM_URLS", "no WASM URL configured")]
    return [check(target, url) for url in target.wasm_urls]
