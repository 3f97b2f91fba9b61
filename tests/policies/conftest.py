"""Plan every mutation of mutations.yaml once per session (cached by input hash) and judge
each plan with every plan-time engine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.policies import harness

PLUGIN_MIRROR = Path("/opt/tf-plugins")


def _need_tools() -> None:
    for var in ("FDK_CHECKOV", "FDK_TERRAFORM_COMPLIANCE"):
        if not os.environ.get(var):
            pytest.skip(f"{var} not set (nox -s test sets it)")


@pytest.fixture(scope="session")
def judged() -> dict[str, harness.Case]:
    _need_tools()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FDK_OFFLINE", "1")
        cache = Path(os.environ.get("FDK_CACHE_DIR", harness.REPO / ".fdk-cache")).resolve()
        mp.setenv("FDK_CACHE_DIR", str(cache))
        if not os.environ.get("FDK_TF_PLUGIN_DIR") and PLUGIN_MIRROR.is_dir():
            mp.setenv("FDK_TF_PLUGIN_DIR", str(PLUGIN_MIRROR))
        items = harness.cases()
        harness.plan_all(items, workers=os.cpu_count() or 2)
        harness.judge_all(items, cache / "mutation-scan")
        # a second planning pass re-plans nothing: every plan comes from the cache
        again = harness.plan_many([c.request() for c in items], 2)
        for case, result in zip(items, again, strict=True):
            case.replanned = not result.cached
    return {c.name: c for c in items}
