"""An unreachable target fails every probe within the deadline; nothing hangs."""

import socket
import time

import pytest

from fdk_guard.e2e.probes import PROBES
from fdk_guard.e2e.target import from_env

from ._fronts import BROKEN

DEADLINE = 3.0


@pytest.fixture
def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # bound, never listening: every connect is refused
    yield sock.getsockname()[1]
    sock.close()


def test_unreachable_target_fails_within_the_deadline(closed_port):
    env = {
        "FDK_SERVER_URL": "https://down.fdk-guard.test",
        "FDK_WASM_URLS": "https://app.down.fdk-guard.test",
        "FDK_RESOLVE": ",".join(
            f"{host}:{port}:127.0.0.1:{closed_port}"
            for host in ("down.fdk-guard.test", "app.down.fdk-guard.test")
            for port in (443, 80)
        ),
        "FDK_E2E_DEADLINE": str(DEADLINE),
    }
    target = from_env(env)
    started = time.monotonic()
    verdicts = {c: probe(target) for c, probe in PROBES.items() if c != "FDK-NET-05"}
    elapsed = time.monotonic() - started
    for control, found in verdicts.items():
        assert [f.status for f in found] == ["fail"], (control, [f.message for f in found])
    assert "after" in verdicts["FDK-ECS-02"][0].message  # retried, then gave the last answer
    # /healthz retries until the deadline; every other probe is one bounded attempt
    assert elapsed < DEADLINE + 10, f"took {elapsed:.1f}s"


def test_silent_healthz_gives_up_at_the_deadline():
    from fdk_guard.front import serve

    with serve(BROKEN["healthz-silent"]) as front:
        target = from_env({**front.env(), "FDK_E2E_DEADLINE": "2"})
        started = time.monotonic()
        found = PROBES["FDK-ECS-02"](target)
        elapsed = time.monotonic() - started
    assert found[0].status == "fail"
    # bounded: a silent server would otherwise hold the probe (slack for a busy machine)
    assert elapsed < 2 + 5, f"took {elapsed:.1f}s past a 2 s deadline"
