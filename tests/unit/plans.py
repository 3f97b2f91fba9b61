"""The unit tests' plans: the reference planned by the gate's planner, wrapped for tftest.

Every plan goes through fdk_guard.terraform.plan_many: a temporary working copy of the
reference with the tests' overlay folders laid in (`expose/`, a mutation's folder),
offline, cached in the one plan cache (`.fdk-cache/plans/`, FDK_CACHE_DIR) by the hash of
its inputs, like every other plan of the suite. The unit tests ask for two things the gate
does not: a plan Terraform refuses is cached with its diagnostics (`keep_failure`: the
invalid inputs are planned once), and sensitive values are kept as digests
(`sensitive="digest"`) so that an inventory can still compare them. Each plan reaches the
tests as a tftest.TerraformPlanOutput.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tftest

from fdk_guard import config
from fdk_guard.errors import GuardError
from fdk_guard.terraform import PlanRequest, PlanResult, TerraformFailed, plan_many, workdir

REPO = Path(__file__).resolve().parents[2]
# FDK_UNIT_REFERENCE points the unit tests at another copy of the reference (e.g. one broken
# on purpose, to see the failure messages); the default is the repository's reference/.
REFERENCE = Path(os.environ.get("FDK_UNIT_REFERENCE") or REPO / "reference").resolve()
EXPOSE_DIR = Path(__file__).resolve().parent / "expose"
PLUGIN_MIRROR = Path("/opt/tf-plugins")


def request(var_files: Sequence[Path], overlays: Sequence[Path] = ()) -> PlanRequest:
    """The plan of the reference with these var files (later ones win) and overlays."""
    return PlanRequest(
        REFERENCE,
        tuple(var_files),
        overlays=(EXPOSE_DIR, *overlays),
        keep_failure=True,
        sensitive="digest",
    )


def describe(req: PlanRequest) -> str:
    names = [Path(p).name for p in req.tfvars or ()]
    names += [Path(p).name for p in req.overlays if Path(p) != EXPOSE_DIR]
    return " + ".join(names)


@dataclass(frozen=True)
class PlanOutcome:
    request: PlanRequest
    plan: tftest.TerraformPlanOutput | None = None
    error: str | None = None  # terraform's diagnostics, one line each, when the plan failed
    cached: bool = False


def outcome(req: PlanRequest, result: PlanResult | GuardError) -> PlanOutcome:
    if isinstance(result, TerraformFailed):
        error = "\n".join(result.diagnostics) or str(result)
        return PlanOutcome(req, error=error, cached=result.cached)
    if isinstance(result, GuardError):  # no terraform, init failed: not cached
        return PlanOutcome(req, error=str(result))
    return PlanOutcome(req, tftest.TerraformPlanOutput(result.plan), cached=result.cached)


@contextmanager
def unit_environment() -> Iterator[None]:
    """Offline whatever credentials the shell holds; the repository's plan cache and the
    provider mirror unless the caller chose others. Set only while planning."""
    wanted = {"FDK_OFFLINE": "1", "FDK_CACHE_DIR": str(REPO / ".fdk-cache")}
    if PLUGIN_MIRROR.is_dir():
        wanted["FDK_TF_PLUGIN_DIR"] = str(PLUGIN_MIRROR)
    saved = {name: os.environ.get(name) for name in wanted}
    for name, value in wanted.items():
        if name == "FDK_OFFLINE" or not os.environ.get(name):
            os.environ[name] = value
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class Plans:
    """The session's plans: made once (in parallel, through the cache), kept in memory."""

    def __init__(self) -> None:
        self._memory: dict[PlanRequest, PlanOutcome] = {}
        self.planned: list[str] = []  # run by terraform in this session
        self.from_cache: list[str] = []

    def plan_many(self, requests: Iterable[PlanRequest]) -> list[PlanOutcome]:
        requests = list(dict.fromkeys(requests))
        todo = [r for r in requests if r not in self._memory]
        with unit_environment():
            results = plan_many(todo, failures="return")
        for req, result in zip(todo, results, strict=True):
            done = outcome(req, result)
            (self.from_cache if done.cached else self.planned).append(describe(req))
            self._memory[req] = done
        return [self._memory[r] for r in requests]

    def plan(self, req: PlanRequest) -> PlanOutcome:
        return self.plan_many([req])[0]

    def outcomes(self) -> list[PlanOutcome]:
        return list(self._memory.values())

    def line(self) -> str:
        return (
            f"unit plans: {len(self.planned)} run by terraform, "
            f"{len(self.from_cache)} read from the cache"
        )


def cache_dir() -> Path:
    with unit_environment():
        return config.cache_dir()


def generated_files(root: Path) -> set[str]:
    """Working files Terraform or the planner would leave in a root (relative paths)."""
    names = (
        ".terraform",
        ".terraform.lock.hcl",
        "terraform.tfstate",
        workdir.OVERRIDE_NAME,
        workdir.PROVIDERS_NAME,
        *(p.name for p in EXPOSE_DIR.rglob("*.tf")),
    )
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.name in names}
