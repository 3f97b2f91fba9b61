"""Broken live states: the good deployment built once in moto (mock_aws); each test breaks
one promise through the AWS API, judges it, and puts it back."""

from __future__ import annotations

import boto3
import pytest

from fdk_guard.live import checks, scope, snapshot
from fdk_guard.local import moto_ext

from . import real_state
from . import world as world_mod


def pytest_collection_modifyitems(config, items) -> None:
    # the real-state apply mostly waits on the emulator: start it now, beside the planning
    if not config.option.collectonly and any(
        item.path.name == "test_change_on_real_state.py" for item in items
    ):
        real_state.start()


@pytest.fixture(scope="session")
def world():
    from moto import mock_aws, settings

    patch = pytest.MonkeyPatch()
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        patch.delenv(key, raising=False)
    patch.setenv("AWS_ACCESS_KEY_ID", "testing")
    patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    patch.setenv("AWS_DEFAULT_REGION", world_mod.REGION)
    patch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")  # 1.5 s saved; any AMI id is taken
    patch.setattr(settings, "ACM_VALIDATION_WAIT", -1)
    moto_ext.install()
    try:
        with mock_aws():
            built = world_mod.build()
            built.session = boto3.Session(region_name=world_mod.REGION)
            yield built
    finally:
        patch.undo()


def judge(world, control: str | None = None) -> list:
    """Snapshot the world (read-only) and run the live checks of `control` (all if None)."""
    snap = snapshot.gather(
        scope.from_outputs(world.outputs), region=world_mod.REGION, session=world.session
    )
    assert snap.errors == [], snap.errors
    return checks.run_all(snap, [control] if control else [])
