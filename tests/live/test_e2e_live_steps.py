"""`fdk-guard e2e` runs the live checks from the package: one snapshot, one step per check."""

from __future__ import annotations

import json

from fdk_guard.e2e import suite
from fdk_guard.live.checks import all_checks

from . import world as world_mod
from .test_broken_states import MUTATIONS


def _env(world, tmp_path) -> dict[str, str]:
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({k: {"value": v} for k, v in world.outputs.items()}))
    return {"FDK_TF_OUTPUTS": str(outputs), "AWS_REGION": world_mod.REGION}


def _judged(steps) -> list:
    return [finding for step in steps for finding in step.judge()]


def test_every_live_check_runs_on_the_named_deployment(world, tmp_path):
    steps = suite.live_steps(_env(world, tmp_path))
    assert [s.name for s in steps] == [c.name for c in all_checks()]
    found = _judged(steps)
    assert {f.engine for f in found} == {"live"}
    assert [f.message for f in found if f.status != "pass"] == []


def test_a_broken_state_fails_its_live_step(world, tmp_path):
    mutation = next(m for m in MUTATIONS if m.control == "FDK-LOG-01")
    mutation.apply(world)
    try:
        steps = suite.live_steps(_env(world, tmp_path))
    finally:
        mutation.undo(world)
    failed = [f for f in _judged(steps) if f.status == "fail"]
    assert {f.control for f in failed} == {"FDK-LOG-01"}, [f.message for f in failed]
    assert any(mutation.expect in f.message for f in failed)
