"""`fdk-guard e2e` end to end, in a subprocess, against local fronts (FDK_* set)."""

import json
import os
import subprocess
import sys
import time

import pytest

from fdk_guard.e2e.probes import PROBES
from fdk_guard.front import BROKEN, serve


def _command() -> list[str]:
    # `python -m fdk_guard.cli e2e` is what the installed `fdk-guard e2e` script runs.
    return [sys.executable, "-m", "fdk_guard.cli", "e2e"]


def _run(env_extra: dict[str, str], reports, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FDK_")}
    env.update(env_extra, FDK_REPORTS=str(reports))
    return subprocess.run(
        _command(), env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _rows(reports) -> list[dict]:
    return json.loads((reports / "findings.json").read_text())


def test_healthy_front_exits_0_with_one_finding_per_probe_under_15s(tmp_path):
    with serve() as front:
        started = time.monotonic()
        done = _run({**front.env(), "FDK_E2E_DEADLINE": "10"}, tmp_path)
        elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    rows = _rows(tmp_path)
    assert sorted(r["control"] for r in rows) == sorted(PROBES)
    assert {(r["status"], r["engine"], r.get("session")) for r in rows} == {
        ("pass", "probe", "e2e")
    }
    assert "probing https://api.fdk-guard.test (from the environment)" in done.stdout
    assert (tmp_path / "junit.xml").is_file()
    assert elapsed < 15, f"fdk-guard e2e took {elapsed:.1f}s on a healthy target"


@pytest.mark.parametrize("variant", ["coep-missing", "healthz-503"])
def test_broken_front_exits_1_and_names_the_control(tmp_path, variant):
    with serve(variant) as front:
        done = _run({**front.env(), "FDK_E2E_DEADLINE": "2"}, tmp_path)
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-2000:]
    failing = {r["control"] for r in _rows(tmp_path) if r["status"] == "fail"}
    broken = set(BROKEN[variant].breaks)
    assert failing == broken
    assert all(c in done.stdout for c in broken)


def test_bad_target_exits_2_with_one_line(tmp_path):
    done = _run({"FDK_SERVER_URL": "http://not-https.test"}, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "FDK_SERVER_URL must be an https:// URL" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
