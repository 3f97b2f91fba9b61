"""The probes' test doubles: fronts broken one promise at a time, and a Target for a front.

Each broken variant names the controls whose probe must fail on it (and say what it
expected and what it found); the product itself serves only the good front.
"""

from __future__ import annotations

from dataclasses import replace

from fdk_guard.e2e.target import Target, from_env
from fdk_guard.front import GOOD, Front, Variant


def _broken(name: str, control: str, **knobs) -> Variant:
    return replace(GOOD, name=name, breaks=(control,), **knobs)


BROKEN: dict[str, Variant] = {
    v.name: v
    for v in (
        _broken("healthz-503", "FDK-ECS-02", healthz_status=503),
        _broken("healthz-silent", "FDK-ECS-02", healthz_status=None),
        _broken("http-no-redirect", "FDK-TLS-01", server_redirect="none"),
        _broken("http-302", "FDK-TLS-01", server_redirect="302"),
        _broken("http-other-host", "FDK-TLS-01", server_redirect="other-host"),
        _broken("http-redirect-loop", "FDK-TLS-01", server_redirect="loop"),
        _broken("cert-other-host", "FDK-TLS-02", cert_for_other_host=True),
        _broken("cert-expired", "FDK-TLS-02", cert_days_left=-2),
        _broken("cert-expiring", "FDK-TLS-02", cert_days_left=10),
        _broken("tls-1.0", "FDK-TLS-02", tls_1_0=True),
        _broken("coep-missing", "FDK-WEB-01", coep=None),
        _broken("coep-wrong", "FDK-WEB-01", coep="unsafe-none"),
        _broken("coop-missing", "FDK-WEB-01", coop=None),
        _broken("headers-page-only", "FDK-WEB-01", headers_on_assets=False),
        _broken("wasm-no-redirect", "FDK-TLS-04", wasm_redirect="none"),
        _broken("wasm-302", "FDK-TLS-04", wasm_redirect="302"),
        _broken("cors-any-origin", "FDK-DATA-06", cors_any_origin=True),
        _broken("cors-app-refused", "FDK-DATA-06", cors_app_origin=False),
        _broken("database-open", "FDK-NET-05", database_open=True),
        replace(
            GOOD, name="no-http-listener", breaks=("FDK-DNS-01", "FDK-TLS-01"), http_listener=False
        ),
    )
}


def target_for(front: Front, deadline: float = 3.0, **env: str) -> Target:
    return from_env({**front.env(), "FDK_E2E_DEADLINE": str(deadline), **env}, origin="test")
