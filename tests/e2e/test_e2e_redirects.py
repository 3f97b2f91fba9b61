import pytest

from fdk_guard.e2e.probes import redirect


@pytest.mark.control("FDK-TLS-01")
def test_server_http_redirects_once_to_https(target, check):
    check(redirect.probe_server(target))


@pytest.mark.control("FDK-TLS-04")
def test_wasm_http_redirects_once_to_https(target, check):
    check(redirect.probe_wasm(target))
