import pytest

from fdk_guard.e2e.probes import cors, web_headers


@pytest.mark.control("FDK-WEB-01")
def test_wasm_page_and_assets_send_coep_coop(target, check):
    check(web_headers.probe(target))


@pytest.mark.control("FDK-DATA-06")
def test_cors_allows_only_the_application_origin(target, check):
    check(cors.probe(target))
