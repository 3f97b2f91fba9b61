"""features/ on roots built in the community modules' idioms (tests/fixtures/roots):
the compliant FDK deployment fails nothing (what terraform-compliance cannot see there is
`deferred`), and the non-FDK application fails exactly its real faults, with every part it
does not have `not_applicable`."""

from __future__ import annotations

import os

import pytest

from fdk_guard.engines import compliance
from fdk_guard.terraform import plan_root
from tests.conftest import PLUGIN_MIRROR, REPO, TOOLS

ROOTS = REPO / "tests" / "fixtures" / "roots"
TOOL_VENV = TOOLS / "terraform-compliance" / "bin" / "terraform-compliance"
# the application's faults: port-80 forward, no HTTPS listener (no scenario applies: the
# graph engine judges it), container port 3000, health check on /, 90-day logs
APP_FAULTS = {"FDK-TLS-01", "FDK-ECS-01", "FDK-ECS-02", "FDK-LOG-01"}
# what the application root has: every other expressed control is absent there
APP_HAS = APP_FAULTS | {"FDK-NET-03", "FDK-NET-04", "FDK-NET-06", "FDK-NET-07", "FDK-IAM-02"}


def _judge(root: str, tfvars: str | None) -> list:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FDK_OFFLINE", "1")
        mp.setenv("FDK_CACHE_DIR", os.environ.get("FDK_CACHE_DIR", str(REPO / ".fdk-cache")))
        if not os.environ.get("FDK_TF_PLUGIN_DIR") and PLUGIN_MIRROR.is_dir():
            mp.setenv("FDK_TF_PLUGIN_DIR", str(PLUGIN_MIRROR))
        if not os.environ.get(compliance.ENV_BINARY) and TOOL_VENV.is_file():
            mp.setenv(compliance.ENV_BINARY, str(TOOL_VENV))
        result = plan_root(ROOTS / root, ROOTS / root / tfvars if tfvars else None)
        return compliance.evaluate(result.json_path, result.plan)


@pytest.mark.slow
def test_the_community_fdk_deployment_fails_nothing() -> None:
    rows = _judge("community", "community.tfvars")
    assert [(r.control, r.resource, r.message) for r in rows if r.status == "fail"] == []
    assert any(r.status == "pass" for r in rows)
    # values known only after apply are deferred, not failed (e.g. the key's ARN)
    deferred = {r.control for r in rows if r.status == "deferred"}
    assert {"FDK-DATA-01", "FDK-TLS-02", "FDK-TLS-04", "FDK-WEB-01"} <= deferred


@pytest.mark.slow
def test_the_community_application_fails_exactly_its_faults() -> None:
    rows = _judge("community-app", None)
    failing = {r.control for r in rows if r.status == "fail"}
    assert failing == APP_FAULTS, [(r.control, r.message) for r in rows if r.status == "fail"]
    absent = {r.control for r in rows} - APP_HAS
    for control in absent:
        statuses = {r.status for r in rows if r.control == control}
        assert statuses == {"not_applicable"}, (control, statuses)
