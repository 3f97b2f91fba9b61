"""Ctrl-C and SIGTERM stop everything the suite started: terraform, its provider plugins,
checkov; nothing is left running and no working copy is left on disk."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from fdk_guard import children
from tests.conftest import REPO, plugin_cache_env


def _marked(marker: str) -> list[tuple[int, list[str]]]:
    """(pid, argv) of every running process whose environment holds `marker`."""
    found = []
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if state != "Z":
            found.append((int(entry.name), argv))
    return found


def _is(argv: list[str], name: str, *words: str) -> bool:
    return Path(argv[0]).name.startswith(name) and all(w in argv for w in words)


MOMENTS = {
    # terraform init is running
    "init": lambda procs: any(_is(a, "terraform", "init") for _, a in procs),
    # terraform plan is running and has started the aws provider plugin
    "plan": lambda procs: (
        any(_is(a, "terraform", "plan") for _, a in procs)
        and any(_is(a, "terraform-provider-aws") for _, a in procs)
    ),
    # the plan is made; checkov judges it
    "judging": lambda procs: any("checkov" in " ".join(a) for _, a in procs),
}


def _wait_for(moment: str, marker: str, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if MOMENTS[moment](_marked(marker)):
            return
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"fdk-guard ended before {moment}: {proc.returncode}\n{out}\n{err}")
        time.sleep(0.02)
    pytest.fail(f"{moment} never came")


@pytest.fixture
def fresh_root(tiny_root: Path, tmp_path: Path) -> Path:
    """The tiny root with inputs no other run planned: never a cache hit."""
    root = tmp_path / "tiny"
    shutil.copytree(tiny_root, root)
    (root / "unique.tf").write_text(f'locals {{\n  run = "{uuid.uuid4()}"\n}}\n')
    return root


def _sigint_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _command(command: str) -> list[str]:
    if command == "nox -s plan":  # as users run it: nox must give fdk-guard time to stop
        nox = [sys.executable, "-m", "nox", "--noxfile", str(REPO / "noxfile.py")]
        return [*nox, "--no-venv", "--no-install", "-s", "plan", "--", "--no-cache"]
    extra = ["--no-cache"] if command == "plan" else []
    return [sys.executable, "-m", "fdk_guard.cli", command, *extra]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "moment", "sig"),
    [
        ("plan", "init", signal.SIGINT),
        ("plan", "plan", signal.SIGINT),
        ("plan", "judging", signal.SIGINT),
        ("plan", "plan", signal.SIGTERM),
        ("lint", "plan", signal.SIGTERM),  # lint plans in a worker thread
        ("nox -s plan", "plan", signal.SIGINT),
    ],
)
def test_nothing_is_left_running_after_an_interrupt(
    command: str, moment: str, sig: int, gate_env: dict, fresh_root: Path, tmp_path: Path
) -> None:
    marker = f"FDK_TEST_RUN={uuid.uuid4()}"
    cache = tmp_path / "cache"
    env = {
        **gate_env,
        "PATH": f"{Path(sys.executable).parent}:{gate_env.get('PATH', '/usr/bin:/bin')}",
        "FDK_TF_DIR": str(fresh_root),
        "FDK_TF_VARS": str(fresh_root / "tiny.tfvars"),
        "FDK_CACHE_DIR": str(cache),
        **plugin_cache_env(),  # the providers, not a 600 MB download
        marker.split("=")[0]: marker.split("=")[1],
    }
    proc = subprocess.Popen(
        _command(command),
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a terminal of its own: Ctrl-C goes to this group
        # as in a terminal's foreground job, even when this test runs as a background job
        # (which inherits SIGINT ignored: nox would then never see the Ctrl-C)
        preexec_fn=_sigint_default,
    )
    try:
        _wait_for(moment, marker, proc)
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)  # Ctrl-C: the whole foreground group
        else:
            os.kill(proc.pid, sig)  # a CI runner cancelling the job
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    deadline = time.monotonic() + 5  # SIGKILL is delivered asynchronously
    while (left := _marked(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"left running after {sig!r} at {moment}: {left}"
    work = cache / "work"
    assert not work.is_dir() or not list(work.iterdir()), list(work.iterdir())
    # (under nox, fdk-guard's stderr reaches nox's stdout)
    assert "fdk-guard: error: interrupted" in (out + err).splitlines(), out + err
    assert "Traceback" not in err
    assert proc.returncode == (130 if command.startswith("nox") else 2), out + err


def test_a_child_and_its_own_children_stop_together_on_timeout(tmp_path: Path) -> None:
    """A child whose own child ignores SIGINT (a stuck plugin) is killed with its group."""
    script = tmp_path / "stuck"
    pid_file = tmp_path / "grandchild.pid"
    script.write_text(f"#!/bin/sh\n(trap '' INT; sleep 60) &\necho $! > {pid_file}\nwait\n")
    script.chmod(0o755)
    with pytest.raises(subprocess.TimeoutExpired):
        children.run([str(script)], timeout=3, grace=0.5)  # room on a busy machine
    assert pid_file.is_file(), "the script never started its child"
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)
    assert not children.live()


def test_the_signal_handler_stops_children_and_refuses_new_ones(tmp_path: Path) -> None:
    """In-process: SIGTERM while a worker thread waits on a child stops that child, and a
    child asked for afterwards is refused instead of started."""
    outcome: dict[str, object] = {}

    def worker() -> None:
        try:
            outcome["done"] = children.run(["sleep", "60"], timeout=120)
        except BaseException as err:  # noqa: BLE001 - recorded for the assertions
            outcome["error"] = err
        try:
            children.run(["true"])
        except children.Interrupted as err:
            outcome["refused"] = err

    before = signal.getsignal(signal.SIGTERM)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), children.stop_children_on_signals(grace=2):
        thread = threading.Thread(target=worker)
        thread.start()
        try:
            while not children.live():
                time.sleep(0.01)
            os.kill(os.getpid(), signal.SIGTERM)  # the handler raises KeyboardInterrupt here
            time.sleep(30)
        finally:
            thread.join(30)  # still stopping: the worker's next child must be refused
    assert time.monotonic() - started < 20
    done = outcome.get("done")
    assert isinstance(done, subprocess.CompletedProcess) and done.returncode < 0
    assert isinstance(outcome.get("refused"), children.Interrupted)
    assert not children.live()
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is put back


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
