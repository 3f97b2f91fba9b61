"""Mutation proofs of features/ on real plans (gate's cached planner).

Every scenario fails on a mutation of its own control, exactly the listed scenarios fail on
each mutation, and the reference (both examples) and the plain fixture root fail none.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from fdk_guard.engines import compliance
from fdk_guard.terraform import PlanRequest, plan_many
from fdk_guard.terraform.sensitive import secret_values
from tests.compliance.features import scenarios

REPO = Path(__file__).resolve().parents[2]
TABLE = yaml.safe_load((Path(__file__).parent / "mutations.yaml").read_text())
MUTATIONS_DIR = REPO / "tests" / "fixtures" / "mutations" / "compliance"
PLAIN = {"root": "tests/fixtures/roots/plain", "tfvars": "tests/fixtures/roots/plain/plain.tfvars"}
BASELINES = TABLE["baselines"]
MUTATIONS = {m["id"]: {**PLAIN, **m} for m in TABLE["mutations"]}
PLUGIN_MIRROR = Path("/opt/tf-plugins")
TOOL_VENV = REPO / ".nox" / "_tools" / "terraform-compliance" / "bin" / "terraform-compliance"


def baseline_id(b: dict) -> str:
    return f"{Path(b['root']).name}:{Path(b['tfvars']).stem}"


def test_every_scenario_is_proven_by_a_mutation_of_its_control() -> None:
    by_name = {sc.name: sc for sc in scenarios()}
    proven: dict[str, set[str]] = {}
    for m in MUTATIONS.values():
        assert (MUTATIONS_DIR / m["id"]).is_dir(), f"no override folder for {m['id']}"
        for name in m["fails"]:
            assert name in by_name, f"{m['id']}: no scenario named {name!r}"
            proven.setdefault(name, set()).add(m["control"])
    for name, sc in by_name.items():
        assert sc.controls[0] in proven.get(name, set()), (
            f"no {sc.controls[0]} mutation fails {name!r}"
        )


def _scenario(message: str) -> str:
    """The scenario a compliance finding comes from ("scenario 'X' (Feature): ...")."""
    return message.split("scenario '", 1)[1].split("' (", 1)[0]


@pytest.fixture(scope="module")
def judged() -> dict[str, tuple[list[compliance.Scenario], list]]:
    """Plan every baseline and mutation (in parallel, cached), then judge each plan."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FDK_OFFLINE", "1")
        mp.setenv("FDK_CACHE_DIR", os.environ.get("FDK_CACHE_DIR", str(REPO / ".fdk-cache")))
        if not os.environ.get("FDK_TF_PLUGIN_DIR") and PLUGIN_MIRROR.is_dir():
            mp.setenv("FDK_TF_PLUGIN_DIR", str(PLUGIN_MIRROR))
        if not os.environ.get(compliance.ENV_BINARY) and TOOL_VENV.is_file():
            mp.setenv(compliance.ENV_BINARY, str(TOOL_VENV))
        keys, requests = [], []
        for b in BASELINES:
            keys.append(baseline_id(b))
            requests.append(PlanRequest(REPO / b["root"], REPO / b["tfvars"]))
        for m in MUTATIONS.values():
            keys.append(m["id"])
            overrides = tuple(sorted((MUTATIONS_DIR / m["id"]).glob("*.tf")))
            requests.append(PlanRequest(REPO / m["root"], REPO / m["tfvars"], overrides))
        plans = plan_many(requests)

        def judge(result):
            # as the gate judges: a scenario failing on a value only apply knows is deferred
            ran, plan = compliance.run_scenarios(result.json_path, result.plan)
            return ran, compliance.to_findings(ran, secret_values(plan), plan)

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            return dict(zip(keys, pool.map(judge, plans), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("baseline", [baseline_id(b) for b in BASELINES])
def test_reference_and_fixture_root_fail_no_scenario(judged, baseline) -> None:
    ran, rows = judged[baseline]
    assert len(ran) == len(scenarios())  # every scenario ran on it
    assert [(r.control, r.resource, r.message) for r in rows if r.status == "fail"] == []
    assert any(r.status == "pass" for r in rows)


@pytest.mark.slow
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_mutation_fails_exactly_its_scenarios(judged, mutation) -> None:
    spec = MUTATIONS[mutation]
    ran, rows = judged[mutation]
    failed = sorted({_scenario(r.message) for r in rows if r.status == "fail"})
    assert failed == sorted(spec["fails"])
    failing = [r for r in rows if r.status == "fail"]
    assert {r.control for r in failing} == {spec["control"]}
    assert all(r.engine == "compliance" and r.resource for r in failing)
    assert spec["resource"] in {r.resource for r in failing}
