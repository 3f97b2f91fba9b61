"""features/ on the policies' mutations (tests/policies/mutations.yaml, module-built
reference and plain root): terraform-compliance fails exactly the controls listed for each
under `policy_mutations` in mutations.yaml here, the part of each broken promise it sees,
and every control it expresses but two fails on at least one of the reference's own
mutations."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from fdk_guard.engines import compliance
from fdk_guard.terraform import plan_many
from tests.compliance.features import scenarios

harness = pytest.importorskip("tests.policies.harness")

REPO = Path(__file__).resolve().parents[2]
EXPECTED: dict[str, list[str]] = yaml.safe_load(
    (Path(__file__).parent / "mutations.yaml").read_text()
)["policy_mutations"]
PLUGIN_MIRROR = Path("/opt/tf-plugins")
# Expressed controls no policies mutation of the reference shows to terraform-compliance
# (tests/compliance's own mutations on the plain root prove them).
NOT_PROVEN_ON_REFERENCE = {
    "FDK-DNS-01": "dns-01-record-elsewhere renames the record; names need the root's variables",
    "FDK-DATA-02": "its only mutation puts the password in the container environment, unseen",
}
TOOL_VENV = REPO / ".nox" / "_tools" / "terraform-compliance" / "bin" / "terraform-compliance"


def policy_table() -> dict[str, dict]:
    return {m["name"]: m for m in harness.load_table()["mutations"]}


def test_listed_mutations_exist_and_cover_every_expressed_control() -> None:
    table = policy_table()
    assert sorted(set(EXPECTED) - set(table)) == []
    for name, controls in EXPECTED.items():
        # compliance sees a part of what the mutation breaks, never something else
        assert set(controls) <= set(table[name]["fails"]), name
    seen = {c for name, controls in EXPECTED.items() for c in controls}
    expressed = {c for sc in scenarios() for c in sc.controls}
    assert sorted(expressed - seen) == sorted(NOT_PROVEN_ON_REFERENCE)


@pytest.fixture(scope="module")
def judged_policy() -> dict[str, set[str]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FDK_OFFLINE", "1")
        cache = Path(os.environ.get("FDK_CACHE_DIR", REPO / ".fdk-cache")).resolve()
        mp.setenv("FDK_CACHE_DIR", str(cache))
        if not os.environ.get("FDK_TF_PLUGIN_DIR") and PLUGIN_MIRROR.is_dir():
            mp.setenv("FDK_TF_PLUGIN_DIR", str(PLUGIN_MIRROR))
        if not os.environ.get(compliance.ENV_BINARY) and TOOL_VENV.is_file():
            mp.setenv(compliance.ENV_BINARY, str(TOOL_VENV))
        # the same requests as tests/policies: the plans it made are read from the cache
        items = harness.cases(only=set(EXPECTED))
        plans = plan_many([c.request() for c in items])

        def failing(result) -> set[str]:
            rows = compliance.evaluate(result.json_path, result.plan)
            return {r.control for r in rows if r.status == "fail"}

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            return dict(zip([c.name for c in items], pool.map(failing, plans), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_compliance_fails_exactly_what_it_can_see(judged_policy, name) -> None:
    assert judged_policy[name] == set(EXPECTED[name])
