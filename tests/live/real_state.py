"""Make saved plans of changes against real state: the reference applied to moto on loopback
(as the local deployment does it), then each change planned against that state.

    python -m tests.live.real_state OUT_DIR NAME=-var=x=y [NAME=...]

Run as a process of its own: moto's backends are process-wide, and the in-process mocks of
the other live tests (tests/live/conftest.py) must not share them. The state goes with the
emulator when the process ends: nothing to destroy.

The tests read the plans as the gate does (`terraform show -json`, redacted), kept in the
cache under a digest of their inputs. The apply mostly waits on the emulator, so when the
cache misses it starts at collection (`start`) and runs while the other layers plan.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from fdk_guard.local import emulator
from fdk_guard.local import terraform as local_tf

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

_running: tuple[subprocess.Popen, Path] | None = None


def _cache() -> Path:
    return Path(os.environ.get("FDK_CACHE_DIR") or REPO / ".fdk-cache").resolve()


def _env() -> dict[str, str]:
    env = dict(os.environ, FDK_CACHE_DIR=str(_cache()))
    if not env.get("FDK_TF_PLUGIN_DIR") and PLUGIN_MIRROR.is_dir():
        env["FDK_TF_PLUGIN_DIR"] = str(PLUGIN_MIRROR)
    return env


def _kept() -> Path:
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


def _stop() -> None:
    if _running is not None:
        proc, out = _running
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        shutil.rmtree(out, ignore_errors=True)


def start() -> None:
    """Start the apply in the background unless its plans are cached (or it runs)."""
    global _running
    if _running is not None or _cached():
        return
    out = Path(tempfile.mkdtemp(prefix="fdk-real-state-"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.live.real_state", str(out)]
        + [f"{name}={args}" for name, args in CHANGES.items()],
        cwd=REPO,
        env=_env(),
        stdout=(out / "log.txt").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its emulator and terraform stop with it (_stop)
    )
    _running = (proc, out)
    atexit.register(_stop)


def planned() -> Path:
    """The folder of `<change>.json`: the cached plans, else those of the apply."""
    if _cached():
        return _kept()
    start()
    from fdk_guard.terraform import existing

    proc, out = _running
    try:
        if proc.wait(timeout=TIMEOUT_S) != 0:
            log = (out / "log.txt").read_text(errors="replace")
            raise AssertionError(f"the apply against the emulator failed:\n{log[-3000:]}")
        saved = os.environ.copy()
        os.environ.update(_env())
        try:
            shown = {name: existing.load(out / f"{name}.tfplan", REFERENCE) for name in CHANGES}
        finally:
            os.environ.clear()
            os.environ.update(saved)
    finally:
        _stop()  # the saved plans hold the state's secrets: they never outlive this
    kept = _kept()
    kept.mkdir(parents=True, exist_ok=True)
    for name, plan in shown.items():
        tmp = kept / f"{name}.json.tmp"
        tmp.write_text(json.dumps(plan.plan))
        tmp.replace(kept / f"{name}.json")
    return kept


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    changes = dict(arg.split("=", 1) for arg in argv[1:])
    with emulator.moto_server() as endpoint:
        root = local_tf.LocalRoot(REFERENCE, TFVARS, out / "root", endpoint)
        root.init()
        root.apply()
        for name, args in changes.items():
            root.plan_change(out / f"{name}.tfplan", *args.split())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
