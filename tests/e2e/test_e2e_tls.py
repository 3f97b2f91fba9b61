import pytest

from fdk_guard.e2e.probes import tls


@pytest.mark.control("FDK-TLS-02")
def test_certificate_and_protocols(target, check):
    check(tls.probe(target))
