"""How a local front behaves: a bag of knobs read by the front's handlers and TLS setup.

The product serves only `GOOD` (the local deployment's face). The broken variants, one or
more per probe, are the probes' test doubles and live with their proofs
(tests/probes/_fronts.py); each names the controls it must make fail.
"""

from __future__ import annotations

from dataclasses import dataclass


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
