"""The e2e target: what to probe, read from FDK_* and Terraform outputs (tests/e2e/README.md).

    FDK_SERVER_URL    https://<host>[:port] of the FDK server (else the `server_url` output)
    FDK_WASM_URLS     comma-separated WASM app URLs (else the `wasm_urls` output)
    FDK_CA_BUNDLE     PEM file of extra trusted roots (a private or test CA)
    FDK_RESOLVE       host:port:address[,...] as curl --resolve; a fourth field
                      host:port:address:connect-port sends that logical port elsewhere
                      (curl --connect-to), so a front on free ports looks like 443/80
    FDK_E2E_DEADLINE  seconds to keep retrying while a deployment rolls out (default 60)
    FDK_TF_OUTPUTS    a `terraform output -json` file: server_url, wasm_urls,
                      database_endpoint / database_address + database_port, ...

A name pinned by FDK_RESOLVE never goes to DNS, whatever port is asked for.
"""

from __future__ import annotations

import ipaddress
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from fdk_guard.errors import GuardError

ENV_KEYS = (
    "FDK_SERVER_URL",
    "FDK_WASM_URLS",
    "FDK_CA_BUNDLE",
    "FDK_RESOLVE",
    "FDK_E2E_DEADLINE",
    "FDK_TF_OUTPUTS",
)
DEFAULT_DEADLINE = 60.0
MAX_DEADLINE = 3600.0

# Output names tried in order (the reference's own first; common module spellings after).
SERVER_URL_OUTPUTS = ("server_url", "fdk_server_url", "server_endpoint", "url")
SERVER_HOST_OUTPUTS = ("server_fqdn", "server_domain", "server_host", "fqdn")
WASM_URLS_OUTPUTS = ("wasm_urls", "wasm_client_urls", "wasm_clients_urls", "cloudfront_urls")
DB_ENDPOINT_OUTPUTS = ("database_endpoint", "rds_endpoint", "db_endpoint", "database_host")
DB_ADDRESS_OUTPUTS = ("database_address", "rds_address", "db_address")
DB_PORT_OUTPUTS = ("database_port", "rds_port", "db_port")


@dataclass(frozen=True)
class Route:
    """One FDK_RESOLVE entry: logical host:port goes to address:connect_port."""

    host: str
    port: int
    address: str
    connect_port: int


@dataclass(frozen=True)
class Resolver:
    routes: tuple[Route, ...] = ()

    def pinned(self, host: str) -> bool:
        return any(r.host == host.lower() for r in self.routes)

    def lookup(self, host: str, port: int) -> tuple[str, int] | None:
        """Where `host:port` really is, or None when DNS decides (host not pinned)."""
        host = host.lower()
        for route in self.routes:
            if route.host == host and route.port == port:
                return route.address, route.connect_port
        for route in self.routes:  # pinned for another port: same address, asked port
            if route.host == host:
                return route.address, port
        return None


@dataclass(frozen=True)
class Database:
    host: str
    port: int
    label: str  # what reports show: the endpoint, or the output name when it is sensitive


@dataclass(frozen=True)
class Target:
    server_url: str
    wasm_urls: tuple[str, ...] = ()
    ca_bundle: Path | None = None
    resolver: Resolver = Resolver()
    deadline: float = DEFAULT_DEADLINE
    database: Database | None = None
    outputs: Mapping[str, object] = field(default_factory=dict)  # non-sensitive values only
    origin: str = "environment"  # where it came from, for the one line the run prints
    started: float = field(default_factory=time.monotonic)

    @property
    def server_host(self) -> str:
        return urlsplit(self.server_url).hostname or ""

    @property
    def server_port(self) -> int:
        return urlsplit(self.server_url).port or 443

    @property
    def app_origin(self) -> str:
        """The application domain's origin, the one CORS must allow."""
        parts = urlsplit(self.server_url)
        return f"{parts.scheme}://{parts.netloc}"

    def remaining(self) -> float:
        return self.deadline - (time.monotonic() - self.started)

    def timeout(self, ceiling: float = 5.0, floor: float = 1.0) -> float:
        """A per-operation timeout: never above `ceiling`, shrinking with the deadline."""
        return max(floor, min(ceiling, self.remaining()))


def configured(env: Mapping[str, str] | None = None) -> bool:
    """Whether the user named a target (else the local deployment is probed)."""
    env = os.environ if env is None else env
    return bool(env.get("FDK_SERVER_URL") or env.get("FDK_TF_OUTPUTS"))


def parse_resolve(text: str) -> Resolver:
    routes = []
    for entry in filter(None, (e.strip() for e in text.split(","))):
        routes.append(_parse_route(entry))
    return Resolver(tuple(routes))


def _parse_route(entry: str) -> Route:
    bad = f"FDK_RESOLVE entry {entry!r} is not host:port:address[:connect-port]"
    host, sep, rest = entry.partition(":")
    port, sep2, rest = rest.partition(":")
    if not (host and sep and sep2 and rest):
        raise GuardError(bad)
    if rest.startswith("["):  # [v6]:port or [v6]
        address, _, tail = rest[1:].partition("]")
        connect = tail.removeprefix(":")
    elif rest.count(":") == 1:
        address, connect = rest.split(":")
    else:
        address, connect = rest, ""  # v4, or a bare v6 address
    try:
        ipaddress.ip_address(address)
        logical = _port(port)
        return Route(host.lower(), logical, address, _port(connect) if connect else logical)
    except ValueError:
        raise GuardError(bad) from None


def _port(text: str) -> int:
    port = int(text)
    if not 0 < port < 65536:
        raise ValueError(text)
    return port


def _https_url(value: str, what: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise GuardError(f"{what} must be an https:// URL with a host name, got {value!r}")
    try:
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        raise GuardError(f"{what} has a bad port: {value!r}") from None
    return value.strip().rstrip("/")


def read_outputs(path: str) -> tuple[dict[str, object], set[str]]:
    """Values of a `terraform output -json` file and the names marked sensitive."""
    try:
        data = json.loads(Path(path).read_text())
    except OSError as err:
        raise GuardError(f"FDK_TF_OUTPUTS: cannot read {path}: {err.strerror}") from None
    except ValueError:
        raise GuardError(f"FDK_TF_OUTPUTS: {path} is not JSON (terraform output -json)") from None
    if not isinstance(data, dict):
        raise GuardError(f"FDK_TF_OUTPUTS: {path} is not a terraform output -json object")
    values, sensitive = {}, set()
    for name, entry in data.items():
        if isinstance(entry, dict) and "value" in entry:
            values[name] = entry["value"]
            if entry.get("sensitive"):
                sensitive.add(name)
        else:  # tolerate a plain {"name": value} file
            values[name] = entry
    return values, sensitive


def _first(values: Mapping[str, object], names: tuple[str, ...]) -> tuple[str, object] | None:
    for name in names:
        if values.get(name) not in (None, "", [], {}):
            return name, values[name]
    return None


def _wasm_from_outputs(values: Mapping[str, object]) -> list[str]:
    found = _first(values, WASM_URLS_OUTPUTS)
    if not found:
        return []
    name, value = found
    items = value.values() if isinstance(value, dict) else value
    if isinstance(items, str):
        items = items.split(",")
    urls = []
    for item in items:
        if not isinstance(item, str):
            raise GuardError(f"FDK_TF_OUTPUTS: output {name} is not a list or map of URLs")
        urls.append(item if "://" in item else f"https://{item}")
    return urls


def _server_from_outputs(values: Mapping[str, object]) -> str | None:
    found = _first(values, SERVER_URL_OUTPUTS)
    if found and isinstance(found[1], str):
        return found[1] if "://" in found[1] else f"https://{found[1]}"
    found = _first(values, SERVER_HOST_OUTPUTS)
    if found and isinstance(found[1], str):
        return f"https://{found[1]}"
    return None


def _database(values: Mapping[str, object], sensitive: set[str]) -> Database | None:
    endpoint = _first(values, DB_ENDPOINT_OUTPUTS) or _first(values, DB_ADDRESS_OUTPUTS)
    if not endpoint:
        return None
    name, value = endpoint
    if not isinstance(value, str):
        raise GuardError(f"FDK_TF_OUTPUTS: output {name} is not a host name")
    host, sep, port_text = value.rpartition(":")
    if not sep or not port_text.isdigit():  # an address without ":port" (RDS `address`)
        host, port_text = value, ""
    port_out = _first(values, DB_PORT_OUTPUTS)
    if not port_text:
        port_text = str(port_out[1]) if port_out else "5432"
    try:
        port = _port(port_text)
    except ValueError:
        raise GuardError(f"FDK_TF_OUTPUTS: bad database port {port_text!r}") from None
    label = f"output:{name}" if name in sensitive else f"{host}:{port}"
    return Database(host.strip("[]").lower(), port, label)


def from_env(env: Mapping[str, str] | None = None, origin: str = "environment") -> Target:
    """The target the FDK_* variables (and the outputs file they name) describe."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    sensitive: set[str] = set()
    if env.get("FDK_TF_OUTPUTS"):
        values, sensitive = read_outputs(env["FDK_TF_OUTPUTS"])
    public = {k: v for k, v in values.items() if k not in sensitive}

    server = env.get("FDK_SERVER_URL") or _server_from_outputs(public)
    if not server:
        raise GuardError(
            "no e2e target: set FDK_SERVER_URL, or FDK_TF_OUTPUTS to a terraform output -json "
            "file with a server_url output"
        )
    server = _https_url(server, "FDK_SERVER_URL")
    if env.get("FDK_WASM_URLS") is not None and env.get("FDK_WASM_URLS") != "":
        wasm = [u for u in (s.strip() for s in env["FDK_WASM_URLS"].split(",")) if u]
    else:
        wasm = _wasm_from_outputs(public)
    wasm_urls = tuple(_https_url(u, "FDK_WASM_URLS") for u in wasm)

    ca = None
    if env.get("FDK_CA_BUNDLE"):
        ca = Path(env["FDK_CA_BUNDLE"])
        if not ca.is_file():
            raise GuardError(f"FDK_CA_BUNDLE: no such file {ca}")

    deadline = DEFAULT_DEADLINE
    if env.get("FDK_E2E_DEADLINE"):
        try:
            deadline = float(env["FDK_E2E_DEADLINE"])
        except ValueError:
            deadline = -1.0
        if not 0 < deadline <= MAX_DEADLINE:
            raise GuardError(
                f"FDK_E2E_DEADLINE must be seconds in (0, {MAX_DEADLINE:.0f}], "
                f"got {env['FDK_E2E_DEADLINE']!r}"
            )

    return Target(
        server_url=server,
        wasm_urls=wasm_urls,
        ca_bundle=ca,
        resolver=parse_resolve(env.get("FDK_RESOLVE", "")),
        deadline=deadline,
        database=_database(values, sensitive),
        outputs=public,
        origin=origin,
    )
