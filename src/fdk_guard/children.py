"""Child processes (terraform, checkov, ...) that never outlive the suite.

Each child starts in a process group of its own, so that it and everything it starts
(terraform's provider plugins: ~600 MB each) can be stopped together with one signal. A
terminal's Ctrl-C no longer reaches such a group by itself, so `stop_children_on_signals`
forwards it: on SIGINT or SIGTERM every live group gets SIGINT (terraform then stops its
plugins), SIGKILL after a grace period, and the main thread unwinds as on Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence

from fdk_guard.errors import GuardError

GRACE = 10.0  # seconds a child gets after SIGINT before its group is killed
_live: dict[int, subprocess.Popen] = {}
_lock = threading.Lock()
_stopping = threading.Event()


class Interrupted(GuardError):
    """A child was not started because the suite is stopping (Ctrl-C or SIGTERM)."""


def popen(args: Sequence[str], **kwargs) -> subprocess.Popen:
    """subprocess.Popen in a new process group, remembered until it is stopped or reaped."""
    if _stopping.is_set():
        raise Interrupted(f"interrupted before {os.path.basename(str(args[0]))} could start")
    proc = subprocess.Popen(args, start_new_session=True, **kwargs)
    with _lock:
        for pid in [p for p, known in _live.items() if known.poll() is not None]:
            del _live[pid]
        _live[proc.pid] = proc
    return proc


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def release(proc: subprocess.Popen) -> None:
    """Forget a finished child; kill what is left of its group (plugins that outlived it)."""
    with _lock:
        _live.pop(proc.pid, None)
    _signal_group(proc, signal.SIGKILL)


def stop(proc: subprocess.Popen, grace: float = GRACE) -> None:
    """SIGINT to the child's group, SIGKILL after `grace` seconds; the group is gone after."""
    for sig, wait in ((signal.SIGINT, grace), (signal.SIGKILL, 10.0)):
        if proc.poll() is not None:
            break
        _signal_group(proc, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=wait)
    release(proc)


def run(
    args: Sequence[str],
    *,
    timeout: float | None = None,
    grace: float = GRACE,
    input: str | None = None,  # noqa: A002 - as subprocess.run names it
    **kwargs,
) -> subprocess.CompletedProcess[str]:
    """subprocess.run(capture_output=True, text=True) whose child is stopped with its group
    on a timeout (TimeoutExpired is re-raised), an interrupt or any other exception."""
    proc = popen(
        args,
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )
    return communicate(proc, timeout=timeout, grace=grace, input=input)


def communicate(
    proc: subprocess.Popen,
    *,
    timeout: float | None = None,
    grace: float = GRACE,
    input: str | None = None,  # noqa: A002
) -> subprocess.CompletedProcess[str]:
    """Wait for a started child (its output captured) as `run` does: stopped with its group
    on a timeout, an interrupt or any other exception."""
    try:
        out, err = proc.communicate(input=input, timeout=timeout)
    except BaseException:
        stop(proc, grace)
        raise
    release(proc)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def live() -> list[subprocess.Popen]:
    with _lock:
        return [p for p in _live.values() if p.poll() is None]


def stop_all(grace: float = GRACE) -> None:
    """Stop every live child group: SIGINT to all at once, SIGKILL to those left after."""
    procs = live()
    for proc in procs:
        _signal_group(proc, signal.SIGINT)
    deadline = time.monotonic() + grace
    for proc in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        stop(proc, 0)


def _kill_all_later(grace: float) -> threading.Timer:
    def kill() -> None:
        for proc in live():
            _signal_group(proc, signal.SIGKILL)

    timer = threading.Timer(grace, kill)
    timer.daemon = True
    timer.start()
    return timer


@contextlib.contextmanager
def stop_children_on_signals(grace: float = GRACE) -> Iterator[None]:
    """SIGINT and SIGTERM stop every child group and raise KeyboardInterrupt (main thread).

    The first signal sends SIGINT to each group and SIGKILL `grace` seconds later (worker
    threads waiting on a child then finish); a second signal kills them at once. No new
    child starts while stopping. On the way out nothing started here is left running.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return

    timers: list[threading.Timer] = []

    def handler(_signum, _frame) -> None:
        again = _stopping.is_set()
        _stopping.set()
        for proc in live():
            _signal_group(proc, signal.SIGKILL if again else signal.SIGINT)
        if not again:
            timers.append(_kill_all_later(grace))
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        try:
            stop_all(grace)
        finally:
            for timer in timers:
                timer.cancel()
            for sig, old in previous.items():
                signal.signal(sig, old)
            _stopping.clear()
