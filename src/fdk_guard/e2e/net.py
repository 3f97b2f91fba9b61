"""Network plumbing shared by the probes: FDK_RESOLVE-aware httpx clients and sockets.

httpcore opens every TCP connection through a network backend; ours asks the target's
Resolver first, so a pinned name goes to its loopback listener and never to DNS, while
TLS still sends the real host name (SNI) and checks the certificate against it.
"""

from __future__ import annotations

import socket
import ssl

import httpcore
import httpx

from fdk_guard.e2e.target import Resolver, Target

USER_AGENT = "fdk-guard-e2e"


class _ResolvingBackend(httpcore.SyncBackend):
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        routed = self.resolver.lookup(host, port)
        if routed:
            host, port = routed
        return super().connect_tcp(host, port, timeout, local_address, socket_options)


class _Transport(httpx.HTTPTransport):
    def __init__(self, resolver: Resolver, ssl_context: ssl.SSLContext) -> None:
        super().__init__(verify=ssl_context, retries=0)
        # Same pool httpx would build, with our backend (httpx exposes no parameter for it).
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=10,
            http1=True,
            http2=False,
            retries=0,
            network_backend=_ResolvingBackend(resolver),
        )


def ssl_context(target: Target) -> ssl.SSLContext:
    """System roots plus FDK_CA_BUNDLE; hostname checked; TLS 1.2 at least."""
    ctx = ssl.create_default_context()
    if target.ca_bundle:
        ctx.load_verify_locations(cafile=str(target.ca_bundle))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def client(target: Target, timeout: float | None = None) -> httpx.Client:
    """An httpx client that never follows redirects (probes judge each hop themselves)."""
    t = timeout if timeout is not None else target.timeout()
    return httpx.Client(
        transport=_Transport(target.resolver, ssl_context(target)),
        timeout=httpx.Timeout(t, connect=min(t, 3.0)),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    )


def address(resolver: Resolver, host: str, port: int) -> tuple[str, int]:
    """Where host:port really is: the pinned route, or the name itself (DNS decides)."""
    return resolver.lookup(host, port) or (host, port)


def can_connect(resolver: Resolver, host: str, port: int, timeout: float) -> str | None:
    """None when a TCP connection opens within `timeout`, else why it did not."""
    where = address(resolver, host, port)
    try:
        with socket.create_connection(where, timeout=timeout):
            return None
    except TimeoutError:
        return f"no answer within {timeout:.0f}s"
    except OSError as err:
        return err.strerror or type(err).__name__


def excerpt(text: str, limit: int = 120) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def describe_error(err: Exception) -> str:
    """One line for a failed request: what went wrong, without a traceback."""
    if isinstance(err, httpx.ConnectError):
        cause = err.__context__ or err
        reason = getattr(cause, "reason", None) or getattr(cause, "verify_message", None)
        return f"cannot connect: {excerpt(str(reason or cause) or type(err).__name__, 200)}"
    if isinstance(err, httpx.TimeoutException):
        return f"timed out ({type(err).__name__})"
    return f"{type(err).__name__}: {excerpt(str(err), 200)}"
