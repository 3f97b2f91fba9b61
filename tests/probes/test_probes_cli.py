"""`fdk-guard e2e` end to end, in a subprocess, against local fronts (FDK_* set)."""

import json
import os
import subprocess
import sys
import time

import pytest

from fdk_guard.e2e.probes import PROBES
from fdk_guard.front import serve
from tests.conftest import REPO

from ._fronts import BROKEN


def _command() -> list[str]:
    # `python -m fdk_guard.cli e2e` is what the installed `fdk-guard e2e` script runs.
    return [sys.executable, "-m", "fdk_guard.cli", "e2e"]


def _run(
    env_extra: dict[str, str], reports, *args: str, timeout: float = 60
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FDK_")}
    env.update(env_extra, FDK_REPORTS=str(reports))
    return subprocess.run(
        [*_command(), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
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
    with serve(BROKEN[variant]) as front:
        done = _run({**front.env(), "FDK_E2E_DEADLINE": "2"}, tmp_path)
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-2000:]
    failing = {r["control"] for r in _rows(tmp_path) if r["status"] == "fail"}
    broken = set(BROKEN[variant].breaks)
    assert failing == broken
    assert all(c in done.stdout for c in broken)


def test_keyword_keeps_only_the_matching_checks(tmp_path):
    with serve() as front:
        done = _run({**front.env(), "FDK_E2E_DEADLINE": "10"}, tmp_path, "-k", "tls")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert {r["control"] for r in _rows(tmp_path)} == {"FDK-TLS-01", "FDK-TLS-02", "FDK-TLS-04"}
    assert "live checks skipped: no deployment named" in done.stdout


def test_the_pytest_view_runs_the_same_probes(tmp_path):
    """tests/e2e is a thin pytest view over the package's probes and live checks."""
    from fdk_guard.live.checks import all_checks

    with serve() as front:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FDK_")}
        env.update(front.env(), FDK_E2E_DEADLINE="10")
        view = [sys.executable, "-m", "pytest", "tests/e2e", "-q", "-p", "no:cacheprovider"]
        done = subprocess.run(
            view, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
        )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    assert f"{len(PROBES)} passed, {len(all_checks())} skipped" in last, last


def test_bad_target_exits_2_with_one_line(tmp_path):
    done = _run({"FDK_SERVER_URL": "http://not-https.test"}, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "FDK_SERVER_URL must be an https:// URL" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


CRASHING_CHECK = """
import pytest


@pytest.mark.control("FDK-LOG-01", engine="live")
def test_a_live_check_that_crashes(target):
    raise RuntimeError("boom: " + target.server_url)


@pytest.mark.control("FDK-IAM-01", engine="live")
def test_a_live_check_that_passes(target, check):
    from fdk_guard.findings import Finding

    check([Finding("FDK-IAM-01", "pass", "live", "ci-user", "FDK-IAM-01: scoped")])
"""


def test_extra_paths_run_with_the_probes_and_a_crash_is_a_failing_finding(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "test_extra_live.py").write_text(CRASHING_CHECK)
    reports = tmp_path / "reports"
    with serve() as front:
        env = {**front.env(), "FDK_E2E_DEADLINE": "10"}
        env_all = {k: v for k, v in os.environ.items() if not k.startswith("FDK_")}
        env_all.update(env, FDK_REPORTS=str(reports))
        done = subprocess.run(
            [*_command(), str(extra)], env=env_all, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-2000:]
    rows = {r["control"]: r for r in _rows(reports)}
    assert set(rows) == set(PROBES) | {"FDK-LOG-01", "FDK-IAM-01"}
    crash = rows["FDK-LOG-01"]
    assert (crash["status"], crash["engine"]) == ("fail", "live")
    assert "could not run" in crash["message"] and "boom" in crash["message"]
    assert (rows["FDK-IAM-01"]["status"], rows["FDK-IAM-01"]["engine"]) == ("pass", "live")


def test_with_no_target_the_local_deployment_is_probed_then_the_environment_restored(
    monkeypatch, tmp_path, capsys
):
    from contextlib import contextmanager

    import fdk_guard.local
    from fdk_guard import e2e

    for key in [k for k in os.environ if k.startswith("FDK_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("FDK_REPORTS", str(tmp_path))

    @contextmanager
    def deployment():  # the real one applies the reference to moto (tests/live)
        with serve() as front:
            yield {**front.env(), "FDK_E2E_DEADLINE": "10"}

    monkeypatch.setattr(fdk_guard.local, "e2e_environment", deployment)
    assert e2e.main([]) == 0
    assert "probing the local deployment at https://api.fdk-guard.test" in capsys.readouterr().out
    assert sorted(r["control"] for r in _rows(tmp_path)) == sorted(PROBES)
    assert not [k for k in os.environ if k.startswith("FDK_") and k != "FDK_REPORTS"]
