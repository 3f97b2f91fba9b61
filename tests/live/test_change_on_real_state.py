"""FDK-CHG-01 against real state: the reference applied to the emulator (moto on loopback, as
the local deployment does it), then a change planned against that state and handed to the
gate through FDK_PLAN, as a CI job with a plan role does. Renaming the database forces its
replacement: the control fails and names `db_name`; resizing it is an update in place: the
control passes. One apply (the minimal example: fewer resources), two plans, in a process of
their own (tests/live/real_state.py); the plans, as the gate reads them, are cached."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fdk_guard.terraform import binary, existing
from tests.conftest import PLUGIN_MIRROR, REFERENCE, run_cli

CONTROL = "FDK-CHG-01"
TFVARS = REFERENCE / "examples" / "minimal.tfvars"
DATABASE = "module.rds_instance.aws_db_instance.this"

pytestmark = [pytest.mark.slow, pytest.mark.control(CONTROL)]


CHANGES = {
    "rename": "-var database_name=fdk_renamed",
    "resize": "-var database_instance_class=db.t4g.small",
}
# What the saved plans depend on: a change to any of these applies and plans again.
_INPUTS = ("reference", "src/fdk_guard/local", "tests/live/real_state.py")


def _inputs_key(repo: Path) -> str:
    digest = hashlib.sha256(json.dumps(CHANGES, sort_keys=True).encode())
    digest.update(binary.version().encode())
    for name in _INPUTS:
        base = repo / name
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            if {".terraform", "__pycache__"} & set(path.parts) or path.suffix == ".pyc":
                continue
            digest.update(str(path.relative_to(repo)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> Path:
    """`rename.json` and `resize.json`: the changes planned against the applied reference,
    as the gate reads them (`terraform show -json` of the saved plan, redacted). Kept in the
    cache under a digest of their inputs: the apply (minutes) runs again only when one
    changes. The saved plans themselves hold the state's secrets: they never outlive the
    fixture (the gate's reading of a saved plan file is proven in tests/policies and
    tests/gate)."""
    repo = REFERENCE.parent
    cache = Path(os.environ.get("FDK_CACHE_DIR") or repo / ".fdk-cache").resolve()
    kept = cache / "real-state" / _inputs_key(repo)
    if all((kept / f"{name}.json").is_file() for name in CHANGES):
        return kept
    env = dict(os.environ, FDK_CACHE_DIR=str(cache))
    if not env.get("FDK_TF_PLUGIN_DIR") and PLUGIN_MIRROR.is_dir():
        env["FDK_TF_PLUGIN_DIR"] = str(PLUGIN_MIRROR)
    out = tmp_path_factory.mktemp("real-state")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.live.real_state", str(out)]
            + [f"{name}={args}" for name, args in CHANGES.items()],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("FDK_CACHE_DIR", str(cache))
            for key, value in env.items():
                if key.startswith(("FDK_TF", "TF_")):
                    mp.setenv(key, value)
            shown = {name: existing.load(out / f"{name}.tfplan", REFERENCE) for name in CHANGES}
    finally:
        shutil.rmtree(out, ignore_errors=True)  # the saved plans and the state's copy
    kept.mkdir(parents=True, exist_ok=True)
    for name, plan in shown.items():
        tmp = kept / f"{name}.json.tmp"
        tmp.write_text(json.dumps(plan.plan))
        tmp.replace(kept / f"{name}.json")
    return kept


def _gate(plan: Path, gate_env: dict, reports: Path):
    env = {
        **gate_env,
        "FDK_TF_DIR": str(REFERENCE),
        "FDK_TF_VARS": str(TFVARS),
        "FDK_PLAN": str(plan),
        "FDK_REPORTS": str(reports),
    }
    done = run_cli("plan", env=env)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    rows = json.loads((reports / "findings.json").read_text())
    return done, [r for r in rows if r["control"] == CONTROL]


def test_renaming_the_database_fails_naming_the_attribute(planned, gate_env, tmp_path):
    done, rows = _gate(planned / "rename.json", gate_env, tmp_path / "reports")
    assert done.returncode == 1, done.stdout + done.stderr
    failing = [r for r in rows if r["status"] == "fail"]
    assert [r["resource"] for r in failing] == [DATABASE], rows
    message = failing[0]["message"]
    assert message.startswith("delete-then-create:"), message
    assert 'db_name: "fdk" -> "fdk_renamed"' in message
    assert "skip_final_snapshot = true" in message  # the reference's default without protection
    assert all(r["status"] == "pass" for r in rows if r["resource"] != DATABASE)
    assert any("aws_kms_key" in r["resource"] for r in rows)  # kept, judged, passing


def test_resizing_the_database_is_an_update_in_place_and_passes(planned, gate_env, tmp_path):
    done, rows = _gate(planned / "resize.json", gate_env, tmp_path / "reports")
    # every control judges a plan against real state as well as one from empty state
    assert done.returncode == 0, done.stdout + done.stderr
    assert rows and all(r["status"] == "pass" for r in rows), rows
    database = next(r for r in rows if r["resource"] == DATABASE)
    assert database["message"] == "updated in place"
