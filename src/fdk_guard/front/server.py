"""The local front: the deployed system's public face, played on loopback with real TLS.

One HTTPS listener serves the FDK server's host (`/healthz`) and the WASM hosts (the app,
with COEP/COOP and CORS) by virtual host, as the ALB and CloudFront would; one plain-HTTP
listener redirects to HTTPS; the database endpoint is a loopback port nothing answers on.
Names never reach DNS: `Front.env()` gives the FDK_RESOLVE routes (curl --connect-to
style: `host:port:address:connect-port`) that send each logical `host:port` to its listener.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import trustme

from fdk_guard.front.certs import issue_leaf
from fdk_guard.front.variants import GOOD, Variant
from fdk_guard.front.wasm_app import ASSETS

LOOPBACK = "127.0.0.1"
SERVER_URL = "https://api.fdk-guard.test"
WASM_URLS = ("https://app.fdk-guard.test",)
DATABASE = "db.fdk-guard.test:5432"
OTHER_HOST = "elsewhere.fdk-guard.test"
SILENT_LIMIT = 120.0  # a "never answering" handler gives up after this, or at stop()


class _Listener(ThreadingHTTPServer):
    """Threaded HTTP(S) server that tracks its connections so stop() can cut them."""

    daemon_threads = False  # joined at server_close(): no thread outlives the front
    block_on_close = True

    def __init__(self, front: Front, tls: ssl.SSLContext | None) -> None:
        super().__init__((LOOPBACK, 0), _Handler)
        self.front, self.tls = front, tls
        self.scheme = "https" if tls else "http"
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def get_request(self):
        sock, addr = super().get_request()
        if self.tls:
            # The handshake happens on the handler thread's first read, so a slow or
            # failing client never blocks the accept loop.
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        with self._lock:
            self._open.add(sock)
        return sock, addr

    def shutdown_request(self, request) -> None:
        with self._lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        pass  # refused handshakes (sslyze probing TLS 1.0) are expected, not news

    def cut_connections(self) -> None:
        with self._lock:
            for sock in list(self._open):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class _Handler(BaseHTTPRequestHandler):
    server: _Listener
    protocol_version = "HTTP/1.0"
    server_version = "fdk-guard-front"
    sys_version = ""
    timeout = 5

    def log_message(self, format, *args) -> None:  # noqa: A002 (stdlib signature)
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.server.front._handle(self, "GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self.server.front._handle(self, "HEAD")

    def do_OPTIONS(self) -> None:  # noqa: N802
        self.server.front._handle(self, "OPTIONS")

    def reply(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError(f"not a URL with a host: {url!r}")
    return parts.hostname.lower(), parts.port or (443 if parts.scheme == "https" else 80)


class Front:
    """A running local front. Use `serve()`; read its URLs, CA and `env()`."""

    def __init__(
        self,
        variant: Variant,
        server_url: str,
        wasm_urls: Sequence[str],
        database: str | None,
        workdir: Path,
    ) -> None:
        self.variant = variant
        self.server_url = server_url.rstrip("/")
        self.wasm_urls = tuple(u.rstrip("/") for u in wasm_urls)
        self.server_host, self.https_port_logical = _host_port(self.server_url)
        self.wasm_hosts = tuple(_host_port(u)[0] for u in self.wasm_urls)
        self.database = database
        self.app_origins = {self.server_url, *self.wasm_urls}
        self.workdir = workdir
        self.ca_bundle = workdir / "ca.pem"
        self.outputs_path = workdir / "outputs.json"
        self._stop = threading.Event()
        self._listeners: list[_Listener] = []
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self.routes: list[str] = []

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> Front:
        tls = self._tls_context()
        https = self._listen(_Listener(self, tls))
        http = self._listen(_Listener(self, None)) if self.variant.http_listener else None
        closed = self._closed_port()  # where absent listeners point: refuses connections
        for url, host in zip(
            (self.server_url, *self.wasm_urls), (self.server_host, *self.wasm_hosts), strict=True
        ):
            logical = _host_port(url)[1]
            self.routes.append(f"{host}:{logical}:{LOOPBACK}:{https.port}")
            self.routes.append(f"{host}:80:{LOOPBACK}:{http.port if http else closed}")
        if self.database:
            db_host, _, db_port = self.database.rpartition(":")
            port = self._database_port() if self.variant.database_open else closed
            self.routes.append(f"{db_host}:{db_port}:{LOOPBACK}:{port}")
        self._write_outputs()
        return self

    def stop(self) -> None:
        self._stop.set()
        for listener in self._listeners:
            listener.shutdown()  # stop the accept loop
            listener.cut_connections()
            listener.server_close()  # joins the handler threads
        for thread in self._threads:
            thread.join(timeout=10)
        for sock in self._sockets:
            sock.close()
        self._listeners.clear()
        self._threads.clear()
        self._sockets.clear()

    def _listen(self, listener: _Listener) -> _Listener:
        thread = threading.Thread(
            target=listener.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"fdk-front-{listener.scheme}-{listener.port}",
        )
        thread.start()
        self._listeners.append(listener)
        self._threads.append(thread)
        return listener

    def _closed_port(self) -> int:
        # Bound but not listening: the port stays ours and every connect is refused.
        sock = socket.socket()
        sock.bind((LOOPBACK, 0))
        self._sockets.append(sock)
        return sock.getsockname()[1]

    def _database_port(self) -> int:
        sock = socket.socket()
        sock.bind((LOOPBACK, 0))
        sock.listen(16)  # the kernel completes connects: "reachable" is all it must be
        self._sockets.append(sock)
        return sock.getsockname()[1]

    # -- TLS ---------------------------------------------------------------------------

    def _tls_context(self) -> ssl.SSLContext:
        ca = trustme.CA()
        ca.cert_pem.write_to_path(str(self.ca_bundle))
        names = (
            [OTHER_HOST]
            if self.variant.cert_for_other_host
            else [self.server_host, *self.wasm_hosts]
        )
        now = dt.datetime.now(dt.UTC)
        validity = {}
        if self.variant.cert_days_left is not None:
            validity = {
                "not_before": now - dt.timedelta(days=90),
                "not_after": now + dt.timedelta(days=self.variant.cert_days_left),
            }
        cert, key = issue_leaf(ca, names, self.workdir, **validity)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        if self.variant.tls_1_0:
            # OpenSSL 3 still speaks TLS 1.0 when the security level allows SHA-1 (level 0).
            with warnings.catch_warnings():  # the deprecation is the point of this front
                warnings.simplefilter("ignore", DeprecationWarning)
                ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        else:
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        return ctx

    # -- outputs and environment ------------------------------------------------------

    def _write_outputs(self) -> None:
        def out(value, kind="string"):
            return {"sensitive": False, "type": kind, "value": value}

        outputs = {
            "server_url": out(self.server_url),
            "wasm_urls": out(list(self.wasm_urls), ["list", "string"]),
        }
        if self.database:
            host, _, port = self.database.rpartition(":")
            outputs["database_endpoint"] = out(self.database)
            outputs["database_address"] = out(host)
            outputs["database_port"] = out(int(port), "number")
        self.outputs_path.write_text(json.dumps(outputs, indent=2) + "\n")

    def env(self) -> dict[str, str]:
        """The FDK_* environment that targets this front (the e2e target contract)."""
        return {
            "FDK_SERVER_URL": self.server_url,
            "FDK_WASM_URLS": ",".join(self.wasm_urls),
            "FDK_CA_BUNDLE": str(self.ca_bundle),
            "FDK_RESOLVE": ",".join(self.routes),
            "FDK_TF_OUTPUTS": str(self.outputs_path),
        }

    # -- requests ----------------------------------------------------------------------

    def _handle(self, req: _Handler, method: str) -> None:
        host = (req.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        path = req.path if req.path.startswith("/") else "/"
        if req.server.scheme == "http":
            self._plain_http(req, host, path)
        elif host == self.server_host:
            self._server(req, path)
        elif host in self.wasm_hosts:
            self._wasm(req, method, host, path)
        else:
            req.reply(421, {"Content-Type": "text/plain"}, b"misdirected request\n")

    def _plain_http(self, req: _Handler, host: str, path: str) -> None:
        if host == self.server_host:
            mode = self.variant.server_redirect
        elif host in self.wasm_hosts:
            mode = self.variant.wasm_redirect
        else:
            req.reply(421, {"Content-Type": "text/plain"}, b"misdirected request\n")
            return
        port = "" if self.https_port_logical == 443 else f":{self.https_port_logical}"
        if mode == "none":
            req.reply(200, {"Content-Type": "text/plain"}, b"served over plain HTTP\n")
        elif mode == "loop":
            req.reply(301, {"Location": f"http://{host}{path}"})
        elif mode == "other-host":
            req.reply(301, {"Location": f"https://{OTHER_HOST}{path}"})
        else:
            req.reply(int(mode), {"Location": f"https://{host}{port}{path}"})

    def _server(self, req: _Handler, path: str) -> None:
        if path.split("?")[0] != "/healthz":
            req.reply(404, {"Content-Type": "text/plain"}, b"not found\n")
        elif self.variant.healthz_status is None:
            self._stop.wait(SILENT_LIMIT)  # never answers; stop() cuts the connection
        else:
            status = self.variant.healthz_status
            body = b"ok\n" if status == 200 else b"service unavailable: tasks draining\n"
            req.reply(status, {"Content-Type": "text/plain"}, body)

    def _wasm(self, req: _Handler, method: str, host: str, path: str) -> None:
        origin = req.headers.get("Origin")
        if method == "OPTIONS":
            self._preflight(req, origin)
            return
        asset = ASSETS.get(path.split("?")[0])
        if asset is None:
            req.reply(404, {"Content-Type": "text/plain"}, b"not found\n")
            return
        content_type, body = asset
        headers = {"Content-Type": content_type}
        if path in ("/", "/index.html") or self.variant.headers_on_assets:
            if self.variant.coep:
                headers["Cross-Origin-Embedder-Policy"] = self.variant.coep
            if self.variant.coop:
                headers["Cross-Origin-Opener-Policy"] = self.variant.coop
        headers.update(self._cors_headers(origin))
        req.reply(200, headers, body)

    def _cors_headers(self, origin: str | None) -> dict[str, str]:
        if origin is None:
            return {}
        if self.variant.cors_any_origin:
            return {"Access-Control-Allow-Origin": "*"}
        if origin in self.app_origins and self.variant.cors_app_origin:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {}

    def _preflight(self, req: _Handler, origin: str | None) -> None:
        allow = self._cors_headers(origin)
        if not allow:  # as S3 does: 403 and no CORS headers for an origin it does not allow
            req.reply(403, {"Content-Type": "text/plain"}, b"CORSResponse: not allowed\n")
            return
        allow["Access-Control-Allow-Methods"] = "GET, HEAD"
        allow["Access-Control-Max-Age"] = "600"
        req.reply(200, allow)


def _legacy_context(side: int) -> ssl.SSLContext:
    ctx = ssl.SSLContext(side)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    return ctx


def tls_1_0_available() -> bool:
    """Whether this Python's OpenSSL can still complete a TLS 1.0 handshake (the
    "tls-1.0" front needs it; OpenSSL 3 builds usually can at security level 0)."""
    with tempfile.TemporaryDirectory(prefix="fdk-tls10-") as tmp:
        try:
            server = _legacy_context(ssl.PROTOCOL_TLS_SERVER)
            server.load_cert_chain(*issue_leaf(trustme.CA(), ["tls10.test"], Path(tmp)))
            client = _legacy_context(ssl.PROTOCOL_TLS_CLIENT)
            client.check_hostname, client.verify_mode = False, ssl.CERT_NONE
        except (ssl.SSLError, ValueError):
            return False
        left, right = socket.socketpair()
        left.settimeout(5)
        right.settimeout(5)
        result: list[str] = []

        def accept() -> None:
            try:
                with server.wrap_socket(left, server_side=True) as tls:
                    result.append(tls.version() or "")
            except (OSError, ssl.SSLError):
                result.append("")

        thread = threading.Thread(target=accept)
        thread.start()
        try:
            with client.wrap_socket(right) as tls:
                version = tls.version()
        except (OSError, ssl.SSLError):
            version = None
        thread.join(10)
        left.close()
        right.close()
        return version == "TLSv1" and result == ["TLSv1"]


@contextmanager
def serve(
    variant: Variant = GOOD,
    server_url: str = SERVER_URL,
    wasm_urls: Sequence[str] = WASM_URLS,
    database: str | None = DATABASE,
) -> Iterator[Front]:
    """Start a local front (good, or as `variant` says) and stop it on exit.

    `server_url`, `wasm_urls` and `database` (`host:port`) set the names it plays, so a
    local deployment can make the front answer for the names in its Terraform outputs.
    """
    with tempfile.TemporaryDirectory(prefix="fdk-front-") as tmp:
        front = Front(variant, server_url, wasm_urls, database, Path(tmp))
        try:
            yield front.start()
        finally:
            front.stop()
