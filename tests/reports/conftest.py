"""The four roots the diagram is proven on, planned once per session (cached by input hash)
and judged by the plan-graph checks: the reference, the plain root, a community-idiom root
and a failing mutation (net-04: the tasks get a public IP)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from fdk_guard.findings import Finding
from fdk_guard.plangraph import PlanGraph
from fdk_guard.plangraph import checks as graph_checks
from fdk_guard.terraform import PlanRequest, plan_many
from tests.policies import harness

REPO = harness.REPO
PLUGIN_MIRROR = Path("/opt/tf-plugins")
# The community-idiom root (terraform-aws-modules style: modules with count/for_each, locals,
# dynamic blocks). Point COMMUNITY_ROOT at the project's fixture once it is in the repository;
# FDK_COMMUNITY_ROOT / FDK_COMMUNITY_TFVARS override both for a root kept elsewhere.
COMMUNITY_ROOT = REPO / "tests" / "fixtures" / "roots" / "community"
COMMUNITY_TFVARS = "community.tfvars"
MUTATION = "net-04-task-public-ip"


@dataclass
class Judged:
    name: str
    plan: dict
    rows: list[Finding]
    sources: dict | None = None  # the configuration's .tf files, as the gate judges with

    @property
    def graph(self) -> PlanGraph:
        return PlanGraph(self.plan, self.sources)


def community_root() -> tuple[Path, Path | None]:
    root = Path(os.environ.get("FDK_COMMUNITY_ROOT") or COMMUNITY_ROOT)
    tfvars = Path(os.environ.get("FDK_COMMUNITY_TFVARS") or root / COMMUNITY_TFVARS)
    return root, tfvars if tfvars.is_file() else None


def _requests() -> dict[str, PlanRequest]:
    demo = REPO / "reference" / "examples" / "demo.tfvars"
    plain = REPO / "tests" / "fixtures" / "roots" / "plain"
    # the mutation as tests/policies plans it (an overlay): one cache entry for both
    mutated = harness.overlays(MUTATION, [MUTATION])
    out = {
        "reference": PlanRequest(REPO / "reference", demo),
        "plain": PlanRequest(plain, plain / "plain.tfvars"),
        MUTATION: PlanRequest(REPO / "reference", demo, overlays=mutated),
    }
    root, tfvars = community_root()
    if root.is_dir():
        out["community"] = PlanRequest(root, tfvars)
    return out


@pytest.fixture(scope="session")
def roots() -> dict[str, Judged]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FDK_OFFLINE", "1")
        cache = Path(os.environ.get("FDK_CACHE_DIR", REPO / ".fdk-cache")).resolve()
        mp.setenv("FDK_CACHE_DIR", str(cache))
        if not os.environ.get("FDK_TF_PLUGIN_DIR") and PLUGIN_MIRROR.is_dir():
            mp.setenv("FDK_TF_PLUGIN_DIR", str(PLUGIN_MIRROR))
        requests = _requests()
        results = plan_many(list(requests.values()), 2)
    out = {}
    for name, result in zip(requests, results, strict=True):
        # judged as the gate judges a plan: with the sources of its configuration
        rows = graph_checks.run(PlanGraph(result.plan, result.sources))
        rows = [Finding(r.control, r.status, r.engine, r.resource, r.message, "plan") for r in rows]
        out[name] = Judged(name, result.plan, rows, result.sources)
    return out


@pytest.fixture
def community(roots: dict[str, Judged]) -> Judged:
    if "community" not in roots:
        root, _ = community_root()
        pytest.skip(f"no community-idiom root at {root} (set COMMUNITY_ROOT in this conftest)")
    return roots["community"]
