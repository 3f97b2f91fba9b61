"""A local AWS API emulator that answers an offline plan's data sources.

Community modules read `aws_caller_identity`, `aws_availability_zones` and the like
unconditionally; with fake keys those reads fail ("reading STS Caller Identity"). Offline,
moto runs in this process on a free loopback port and terraform reaches it through
`AWS_ENDPOINT_URL` (an environment variable, not the override file: the port changes from
run to run and the plan cache's key must not). What it answers: account 123456789012, the
emulator's availability zones for the provider's region; lookups by name (an SSM
parameter, an AMI, a hosted zone) find nothing, since the emulator starts empty.

One server is shared by the plans running at the same time in this process; it starts in
the background while `terraform init` runs and stops when the last plan using it ends,
also on an error or an interrupt.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from importlib import metadata

from fdk_guard.errors import GuardError
from fdk_guard.terraform import workdir

START_TIMEOUT = 120.0
ACCOUNT_ID = "123456789012"  # moto's default account
REQUIREMENT = "moto[server]==5.2.5"
_lock = threading.Lock()
_users = 0
_server: dict[str, object] = {}


@functools.cache
def version() -> str:
    """The emulator's version (it shapes offline plans: part of the plan cache's key)."""
    try:
        return f"moto {metadata.version('moto')}"
    except metadata.PackageNotFoundError:
        return "no emulator"


def _start(box: dict[str, object]) -> None:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as err:
        box["error"] = GuardError(
            f"offline planning needs the AWS emulator {REQUIREMENT}, a dependency of"
            f" fdk-fargate-guard: reinstall it (a nox session made before it was one: run it"
            f" once without -R) ({err})"
        )
        return
    try:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per API call
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
    except Exception as err:  # noqa: BLE001 - any failure to start is one line for the user
        box["error"] = GuardError(f"the local AWS emulator (moto) could not start: {err}")
        return
    box["server"], box["url"] = server, f"http://{host}:{port}"


def _wait(box: dict[str, object]) -> str:
    thread = box["thread"]
    assert isinstance(thread, threading.Thread)
    thread.join(START_TIMEOUT)
    if thread.is_alive():
        raise GuardError(f"the local AWS emulator (moto) did not start in {START_TIMEOUT:.0f}s")
    if isinstance(box.get("error"), GuardError):
        raise box["error"]  # type: ignore[misc]
    return str(box["url"])


@contextmanager
def running() -> Iterator[Callable[[], str]]:
    """Share the emulator while the block runs; the yielded function waits for its URL."""
    global _users
    with _lock:
        if _users == 0:
            _server.clear()
            thread = threading.Thread(target=_start, args=(_server,), daemon=True)
            _server["thread"] = thread
            thread.start()
        _users += 1
        box = _server
    try:
        yield lambda: _wait(box)
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                thread = box["thread"]
                assert isinstance(thread, threading.Thread)
                thread.join(START_TIMEOUT)
                server = box.get("server")
                if server is not None:
                    server.stop()  # type: ignore[attr-defined]
                box.clear()


def offline_env(env: Mapping[str, str], endpoint: str) -> dict[str, str]:
    """terraform's environment for an offline plan: every AWS call goes to `endpoint`.

    Service-specific endpoint variables and real credentials are dropped, so nothing of
    the user's reaches the emulator and no call leaves the machine.
    """
    out = {
        name: value
        for name, value in env.items()
        if not name.startswith("AWS_ENDPOINT_URL")
        and name not in (*workdir.CREDENTIAL_VARS, "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
    }
    out.update({"AWS_ENDPOINT_URL": endpoint, "AWS_EC2_METADATA_DISABLED": "true"})
    return out
