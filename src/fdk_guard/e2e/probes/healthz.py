"""FDK-ECS-02: GET /healthz over HTTPS answers 200, retried while a deployment rolls out."""

from __future__ import annotations

import httpx
from tenacity import Retrying, retry_if_result, wait_exponential

from fdk_guard.catalogue import params
from fdk_guard.e2e import net
from fdk_guard.e2e.probes._common import failed, passed
from fdk_guard.e2e.target import Target
from fdk_guard.findings import Finding

CONTROL = "FDK-ECS-02"


def probe(target: Target) -> list[Finding]:
    url = f"{target.server_url}{params(CONTROL)['path']}"
    attempts = 0

    def attempt() -> tuple[bool, str]:
        nonlocal attempts
        attempts += 1
        try:
            with net.client(target) as client:
                answer = client.get(url)
        except httpx.HTTPError as err:
            return False, net.describe_error(err)
        if answer.status_code == 200:
            return True, "200"
        return False, f"{answer.status_code} {net.excerpt(answer.text)!r}"

    def out_of_time(state) -> bool:
        return target.remaining() <= 0

    def capped_wait(state) -> float:  # back off, but never sleep past the deadline
        return max(0.0, min(backoff(state), target.remaining()))

    backoff = wait_exponential(multiplier=0.5, max=5)
    ok, last = Retrying(
        stop=out_of_time,
        wait=capped_wait,
        retry=retry_if_result(lambda result: not result[0]),
        retry_error_callback=lambda state: state.outcome.result(),
    )(attempt)
    if ok:
        return [passed(CONTROL, url, f"GET {url} answered 200 (attempt {attempts})")]
    return [
        failed(
            CONTROL,
            url,
            f"GET {url} to answer 200 within {target.deadline:g}s",
            f"{last} after {attempts} attempt(s)",
        )
    ]
