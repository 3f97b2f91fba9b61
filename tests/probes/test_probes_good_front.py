"""Every probe passes on the good local front, and the whole run stays well under 15 s."""

import threading
import time

import pytest

from fdk_guard.e2e.probes import PROBES
from fdk_guard.front import serve

from ._fronts import target_for


@pytest.fixture(scope="module")
def good():
    with serve() as front:
        yield front


@pytest.mark.parametrize("control", list(PROBES))
def test_probe_passes_on_the_good_front(good, control):
    found = PROBES[control](target_for(good, deadline=10))
    assert found, f"{control} returned no finding"
    for finding in found:
        assert finding.control == control
        assert finding.engine == "probe"
        assert finding.status == "pass", finding.message
        assert finding.message.startswith(f"{control}: ")


def test_all_probes_on_a_healthy_target_take_under_15_seconds(good):
    target = target_for(good, deadline=10)
    started = time.monotonic()
    statuses = {c: [f.status for f in probe(target)] for c, probe in PROBES.items()}
    elapsed = time.monotonic() - started
    assert all(s == ["pass"] for s in statuses.values()), statuses
    assert elapsed < 15, f"probe run took {elapsed:.1f}s"


def test_front_stops_cleanly_leaving_no_thread_or_listener():
    before = set(threading.enumerate())
    with serve() as front:
        https_port = int(front.routes[0].rsplit(":", 1)[1])
        assert len(set(threading.enumerate()) - before) >= 2  # the two listeners run
    assert set(threading.enumerate()) - before == set()
    import socket

    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
