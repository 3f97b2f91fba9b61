"""Make saved plans of changes against real state: the reference applied to moto on loopback
(as the local deployment does it), then each change planned against that state.

    python -m tests.live.real_state KEPT_DIR

Run as a process of its own: moto's backends are process-wide, and the in-process mocks of
the other live tests (tests/live/conftest.py) must not share them. The state goes with the
emulator when the process ends: nothing to destroy.

The tests read the plans as the gate does (`terraform show -json`, redacted), kept in the
cache under a digest of their inputs. The apply mostly waits on the emulator, so when the
cache misses it starts at collection (`start`) and runs while the other layers plan.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fdk_guard.local import emulator
from fdk_guard.local import terraform as local_tf
from fdk_guard.terraform.plan import _locked, _write_atomic

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "reference"
TFVARS = REFERENCE / "examples" / "minimal.tfvars"
PLUGIN_MIRROR = Path("/opt/tf-plugins")
CHANGES = {
    "rename": "-var database_name=fdk_renamed",
    "resize": "-var database_instance_class=db.t4g.small",
}
# What the plans depend on: a change to any of these applies and plans again.
_INPUTS = (
    "reference",
    "src/fdk_guard/local",
    "src/fdk_guard/terraform",
    "tests/live/real_state.py",
)
TIMEOUT_S = 1800

_running: subprocess.Popen | None = None


def _cache() -> Path:
    return Path(os.environ.get("FDK_CACHE_DIR") or REPO / ".fdk-cache").resolve()


def _env() -> dict[str, str]:
    env = dict(os.environ, FDK_CACHE_DIR=str(_cache()))
    if not env.get("FDK_TF_PLUGIN_DIR") and PLUGIN_MIRROR.is_dir():
        env["FDK_TF_PLUGIN_DIR"] = str(PLUGIN_MIRROR)
    return env


@functools.cache
def _kept() -> Path:
    """The plans' folder in the cache, by a digest of their inputs (once per process)."""
    from fdk_guard.terraform import binary

    digest = hashlib.sha256(json.dumps(CHANGES, sort_keys=True).encode())
    digest.update(binary.version().encode())
    for name in _INPUTS:
        base = REPO / name
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            if {".terraform", "__pycache__"} & set(path.parts) or path.suffix == ".pyc":
                continue
            digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return _cache() / "real-state" / digest.hexdigest()


def _cached() -> bool:
    return all((_kept() / f"{name}.json").is_file() for name in CHANGES)


def _owner(lock: Path) -> int | None:
    """The pid of the live process that is making the plans, if any."""
    try:
        pid = int(lock.read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def _stop() -> None:
    if _running is not None and _running.poll() is None:
        os.killpg(_running.pid, signal.SIGKILL)  # its emulator and terraform with it
        _running.wait()


def start() -> None:
    """Start making the plans in the background, unless they are cached or another
    process (a pytest-xdist worker) is making them already."""
    global _running
    kept = _kept()
    if _running is not None or _cached():
        return
    kept.parent.mkdir(parents=True, exist_ok=True)
    lock = kept.with_suffix(".owner")
    with _locked(_cache() / "locks" / "real-state.lock"):
        if _owner(lock) is not None or _cached():
            return
        log = kept.with_suffix(".log").open("w")
        _running = subprocess.Popen(
            [sys.executable, "-m", "tests.live.real_state", str(kept)],
            cwd=REPO,
            env=_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        lock.write_text(str(_running.pid))
    atexit.register(_stop)


def planned() -> Path:
    """The folder of `<change>.json`: cached, else made (here or by another worker)."""
    start()
    kept = _kept()
    deadline = time.monotonic() + TIMEOUT_S
    while not _cached():
        mine = _running is not None
        alive = _running.poll() is None if mine else _owner(kept.with_suffix(".owner"))
        if not alive and not _cached():
            made = kept.with_suffix(".log")
            log = made.read_text(errors="replace") if made.is_file() else "(no log)"
            raise AssertionError(f"the apply against the emulator failed:\n{log[-3000:]}")
        if time.monotonic() > deadline:
            _stop()
            raise AssertionError(f"the apply against the emulator took over {TIMEOUT_S} s")
        time.sleep(2)
    for left in (".log", ".owner"):  # the maker's log and pid: done with
        kept.with_suffix(left).unlink(missing_ok=True)
    return kept


def main(argv: list[str]) -> int:
    """Apply, plan each change, and keep the plans as the gate reads them in KEPT."""
    from fdk_guard.terraform import existing

    kept = Path(argv[0])
    with tempfile.TemporaryDirectory(prefix="fdk-real-state-") as tmp:
        out = Path(tmp)  # the state and the saved plans hold secrets: gone with it
        with emulator.moto_server() as endpoint:
            root = local_tf.LocalRoot(REFERENCE, TFVARS, out / "root", endpoint)
            root.init()
            root.apply()
            for name, args in CHANGES.items():
                root.plan_change(out / f"{name}.tfplan", *args.split())
        shown = {name: existing.load(out / f"{name}.tfplan", REFERENCE) for name in CHANGES}
    kept.mkdir(parents=True, exist_ok=True)
    for name, plan in shown.items():
        _write_atomic(kept / f"{name}.json", json.dumps(plan.plan))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
