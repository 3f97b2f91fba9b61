import pytest

from fdk_guard.e2e.probes import database, dns


@pytest.mark.control("FDK-DNS-01")
def test_server_name_resolves_and_ports_answer(target, check):
    check(dns.probe(target))


@pytest.mark.control("FDK-NET-05")
def test_database_endpoint_unreachable_from_outside(target, check):
    check(database.probe(target))
