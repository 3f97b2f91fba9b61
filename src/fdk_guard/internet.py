"""Which source CIDRs are "the internet" (FDK-NET-06): one rule for the plan and the live checks.

`0.0.0.0/0` and `::/0` are, and so is any range at least as wide as the catalogue's
`internet_prefix` (a /8 of IPv4, a /16 of IPv6) holding publicly routable addresses: two
halves (`0.0.0.0/1`, `128.0.0.0/1`) open the same ports to the same world. Narrower ranges
(an office's /24, the VPC's /16) and private or reserved ones (`10.0.0.0/8`) are not.
"""

from __future__ import annotations

import ipaddress

from fdk_guard.catalogue import params

# IANA special-purpose blocks as wide as a /16 or wider: no public address inside
_NOT_PUBLIC = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/8",
        "fc00::/7",
        "fe80::/10",
        "ff00::/8",
    )
)


def is_internet(cidr: object) -> bool:
    """Is `cidr` (a string such as "0.0.0.0/1") wide and public enough to be the internet?
    Anything that is not a CIDR is not (the caller judges unknown values itself)."""
    if not isinstance(cidr, str):
        return False
    try:
        net = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return False
    if net.prefixlen > params("FDK-NET-06")["internet_prefix"][f"ipv{net.version}"]:
        return False
    return not any(net.version == n.version and net.subnet_of(n) for n in _NOT_PUBLIC)
