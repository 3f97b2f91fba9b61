"""How a local front behaves: the good one, and one broken variant per probe.

A variant is a bag of knobs read by the front's handlers and TLS setup. Each broken
variant names the controls it must make fail, so tests/probes can check that the probe
for that control notices (and says what it expected and what it found).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Variant:
    name: str = "good"
    breaks: tuple[str, ...] = ()
    # FDK-ECS-02: /healthz status, or None for a handler that never answers
    healthz_status: int | None = 200
    # FDK-TLS-01 / FDK-TLS-04: plain HTTP behaviour on the server / WASM hosts
    server_redirect: str = "301"  # "301", "302", "none" (serves 200), "other-host", "loop"
    wasm_redirect: str = "301"
    # FDK-TLS-02
    cert_for_other_host: bool = False
    cert_days_left: int | None = None  # None: trustme's default (far future); < 0: expired
    tls_1_0: bool = False
    # FDK-WEB-01: headers on the WASM page / its assets
    coep: str | None = "require-corp"
    coop: str | None = "same-origin"
    headers_on_assets: bool = True
    # FDK-DATA-06
    cors_any_origin: bool = False
    cors_app_origin: bool = True
    # FDK-NET-05: something listens on the database endpoint
    database_open: bool = False
    # FDK-DNS-01 (and FDK-TLS-01): the plain-HTTP listener exists
    http_listener: bool = True


GOOD = Variant()


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


def get(name: str) -> Variant:
    if name == "good":
        return GOOD
    try:
        return BROKEN[name]
    except KeyError:
        raise KeyError(
            f"unknown front variant {name!r}; known: good, {', '.join(BROKEN)}"
        ) from None
