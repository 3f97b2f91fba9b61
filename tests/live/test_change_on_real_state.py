"""FDK-CHG-01 against real state: the reference applied to the emulator (moto on loopback, as
the local deployment does it), then a change planned against that state and handed to the
gate through FDK_PLAN, as a CI job with a plan role does. Renaming the database forces its
replacement: the control fails and names `db_name`; resizing it is an update in place: the
control passes. One apply (the minimal example: fewer resources), two plans, in a process of
their own (tests/live/real_state.py); the plans, as the gate reads them, are cached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REFERENCE, run_cli
from tests.live import real_state

CONTROL = "FDK-CHG-01"
TFVARS = REFERENCE / "examples" / "minimal.tfvars"
DATABASE = "module.rds_instance.aws_db_instance.this"

pytestmark = [pytest.mark.slow, pytest.mark.control(CONTROL)]


@pytest.fixture(scope="module")
def planned() -> Path:
    """`rename.json` and `resize.json`: the changes planned against the applied reference,
    as the gate reads them (`terraform show -json` of the saved plan, redacted), from the
    cache or from the apply started in the background at collection (conftest.py)."""
    return real_state.planned()


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
