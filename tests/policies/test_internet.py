"""Which source ranges FDK-NET-06 calls the internet (fdk_guard.internet), graph and live."""

from __future__ import annotations

import pytest

from fdk_guard.internet import is_internet

CASES = {
    "0.0.0.0/0": True,
    "::/0": True,
    "0.0.0.0/1": True,  # half of it: the same world
    "128.0.0.0/1": True,
    "52.0.0.0/8": True,  # a /8 of public addresses
    " 0.0.0.0/0": True,
    "52.0.0.0/9": False,  # narrower than the catalogue's /8
    "198.51.100.0/24": False,  # an office
    "10.0.0.0/8": False,  # private
    "100.64.0.0/10": False,  # shared address space
    "224.0.0.0/4": False,  # multicast
    "2000::/3": True,  # every global unicast address
    "2600::/12": True,
    "2001:db8::/32": False,  # narrower than /16
    "fd00::/8": False,  # unique local
    "fe80::/10": False,
    "not a cidr": False,
}


@pytest.mark.parametrize(("cidr", "internet"), CASES.items())
def test_is_internet(cidr, internet):
    assert is_internet(cidr) is internet


@pytest.mark.parametrize("value", [None, 0, ["0.0.0.0/0"]])
def test_what_is_not_a_cidr_is_not_the_internet(value):
    assert is_internet(value) is False
