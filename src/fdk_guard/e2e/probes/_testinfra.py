"""testinfra's local host, and what it says about names and ports (honouring FDK_RESOLVE).

testinfra checks ports with `nc -w 1 -z`, or bash's /dev/tcp under `timeout 1` when nc is
missing: every check is bounded to about a second.
"""

from __future__ import annotations

import functools

import testinfra

from fdk_guard.e2e.target import Resolver


@functools.cache
def local_host():
    return testinfra.get_host("local://")


def addresses(resolver: Resolver, name: str) -> tuple[list[str], str]:
    """Addresses of `name` and how they were found: FDK_RESOLVE pins first, then getent."""
    pinned = sorted({r.address for r in resolver.routes if r.host == name.lower()})
    if pinned:
        return pinned, "FDK_RESOLVE"
    addr = local_host().addr(name)
    return (addr.ip_addresses if addr.is_resolvable else []), "the system resolver"


def reachable(resolver: Resolver, name: str, port: int) -> bool:
    routed = resolver.lookup(name, port)
    host, real_port = routed if routed else (name, port)
    return local_host().addr(host).port(real_port).is_reachable
