"""Each probe fails on each front broken for its control, saying expected and found."""

import pytest

from fdk_guard.e2e.probes import PROBES
from fdk_guard.front import serve, tls_1_0_available

from ._fronts import BROKEN, target_for

# What the "found" part must mention, per broken front and control: the probe failed for
# the reason the front was broken, not by accident.
FOUND = {
    ("healthz-503", "FDK-ECS-02"): "503 'service unavailable",
    ("healthz-silent", "FDK-ECS-02"): "timed out",
    ("http-no-redirect", "FDK-TLS-01"): "200",
    ("http-302", "FDK-TLS-01"): "302 to https://api.fdk-guard.test/",
    ("http-other-host", "FDK-TLS-01"): "301 to https://elsewhere.fdk-guard.test/",
    ("http-redirect-loop", "FDK-TLS-01"): "a loop",
    ("cert-other-host", "FDK-TLS-02"): "certificate for elsewhere.fdk-guard.test, not api",
    ("cert-expired", "FDK-TLS-02"): "certificate expired",
    ("cert-expiring", "FDK-TLS-02"): "certificate expires in 10 day(s)",
    ("tls-1.0", "FDK-TLS-02"): "TLS 1.0",
    ("coep-missing", "FDK-WEB-01"): "Cross-Origin-Embedder-Policy missing",
    ("coep-wrong", "FDK-WEB-01"): "Cross-Origin-Embedder-Policy: unsafe-none",
    ("coop-missing", "FDK-WEB-01"): "Cross-Origin-Opener-Policy missing",
    ("headers-page-only", "FDK-WEB-01"): "/app.js: Cross-Origin-Embedder-Policy missing",
    ("wasm-no-redirect", "FDK-TLS-04"): "200",
    ("wasm-302", "FDK-TLS-04"): "302",
    ("cors-any-origin", "FDK-DATA-06"): "foreign origin got 200, Access-Control-Allow-Origin: *",
    ("cors-app-refused", "FDK-DATA-06"): "application origin got 403",
    ("database-open", "FDK-NET-05"): "accepts TCP connections",
    ("no-http-listener", "FDK-DNS-01"): "port 80 unreachable",
    ("no-http-listener", "FDK-TLS-01"): "cannot connect",
}
CASES = [(name, control) for name, variant in BROKEN.items() for control in variant.breaks]


def test_every_broken_front_has_an_expected_reason():
    assert sorted(CASES) == sorted(FOUND)
    assert {c for _, c in CASES} == set(PROBES), "a probe without a broken front proves nothing"


@pytest.mark.parametrize(("variant", "control"), CASES, ids=[f"{v}-{c}" for v, c in CASES])
def test_probe_fails_on_its_broken_front(variant, control):
    if variant == "tls-1.0" and not tls_1_0_available():
        pytest.skip("this Python's OpenSSL cannot serve TLS 1.0 even at SECLEVEL=0")
    with serve(BROKEN[variant]) as front:
        found = PROBES[control](target_for(front, deadline=2))
    failures = [f for f in found if f.status == "fail"]
    assert failures, f"{control} did not fail on {variant}: {[f.message for f in found]}"
    message = failures[0].message
    assert message.startswith(f"{control}: expected "), message
    assert "; found " in message, message
    assert FOUND[(variant, control)] in message.split("; found ", 1)[1], message
