"""Plan-time engines: each turns a root (HCL) or a plan (JSON) into Findings.

    evaluate_plan(plan_path, plan, root=None, engines=PLAN_ENGINES) -> list[Finding]
        checkov (a background process) and terraform-compliance (a background thread) on
        the plan JSON, while the plan-graph checks run here
    warm() -> Warmed
        both tools started ahead (importing while Terraform plans), for evaluate_plan

checkov runs once per scan with every FDK custom check and its built-in checks. Every
control of the catalogue gets at least one row: a control no engine judged is `deferred`
when the catalogue marks it e2e-only, else `fail` (a silent gap must not look like a pass).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fdk_guard import catalogue
from fdk_guard.engines import checkov, compliance, subjects
from fdk_guard.errors import GuardError
from fdk_guard.findings import Finding
from fdk_guard.plangraph import PlanGraph
from fdk_guard.plangraph import checks as graph_checks
from fdk_guard.plangraph.modules import collect_sources

PLAN_ENGINES = ("graph", "checkov", "compliance")


def _root_from_env() -> Path | None:
    given = os.environ.get("FDK_TF_DIR", "").strip()
    root = Path(given) if given else catalogue.REPO_ROOT / "reference"
    return root.resolve() if root.is_dir() else None


@dataclass
class Warmed:
    """The tool engines, started (importing) before the plan exists: see warm()."""

    checkov: checkov.Warm | None = None
    compliance: compliance.Warm | None = None

    def cancel(self) -> None:
        for tool in (self.checkov, self.compliance):
            if tool is not None:
                tool.cancel()


def warm() -> Warmed:
    """checkov and terraform-compliance, started so that their imports overlap the plan.

    A tool that cannot be started ahead (not a Python launcher, not found) is left out:
    evaluate_plan starts it when it is needed, or says why it cannot."""
    started = Warmed()
    try:
        with contextlib.suppress(GuardError):
            started.checkov = checkov.warm()
        with contextlib.suppress(GuardError):
            started.compliance = compliance.warm()
    except BaseException:  # an interrupt: nothing is left running
        started.cancel()
        raise
    return started


def evaluate_plan(
    plan_path: Path,
    plan: dict,
    root: Path | None = None,
    engines=PLAN_ENGINES,
    sources: dict | None = None,
    warm: Warmed | None = None,
) -> list[Finding]:
    """checkov, terraform-compliance and the plan-graph checks on one plan JSON.

    `sources` ({module key: {file: text}}) lets the graph evaluate what the plan leaves
    unknown; without them it reads the root's own files (local modules only). `warm` holds
    the tools started earlier (warm()), so that their start-up overlapped the plan; they
    are this call's to run or stop.
    """
    warm = warm or Warmed()
    try:
        rows = _judge(plan_path, plan, root, engines, sources, warm)
    except BaseException:
        warm.cancel()  # a tool still running (or never started) is stopped
        raise
    return rows + missing_controls(rows)


def _judge(plan_path, plan, root, engines, sources, warm: Warmed) -> list[Finding]:
    root = Path(root).resolve() if root else _root_from_env()
    if sources is None and root is not None and "graph" in engines:
        sources = collect_sources(root)
    if "compliance" not in engines and warm.compliance is not None:
        warm.compliance.cancel()
    if "checkov" not in engines and warm.checkov is not None:
        warm.checkov.cancel()
    with tempfile.TemporaryDirectory(prefix="fdk-judge-") as scratch:
        proc = None
        if "checkov" in engines:
            target = checkov.plan_for_scan(plan, Path(scratch))
            if warm.checkov is not None:
                proc = warm.checkov.scan(target, "terraform_plan", root)
            else:
                proc = checkov.start(target, "terraform_plan", root)
        try:
            join = None
            if "compliance" in engines:
                join = compliance.start(Path(plan_path), plan, warm=warm.compliance)
            rows = graph_checks.run(PlanGraph(plan, sources)) if "graph" in engines else []
            if join is not None:
                rows += join()
        except BaseException:
            if proc is not None:
                proc.kill()
                proc.communicate()
            raise
        if proc is not None:
            rows += subjects.one_of_many(checkov.collect(proc), plan)
    return rows


def missing_controls(rows: list[Finding]) -> list[Finding]:
    """A row for every catalogue control no engine judged."""
    seen = {r.control for r in rows}
    out = []
    for ctl in catalogue.load().values():
        if ctl.id in seen:
            continue
        if ctl.e2e_only:
            out.append(Finding(ctl.id, "deferred", "graph", "(root)", f"e2e only: {ctl.e2e_only}"))
        else:
            out.append(Finding(ctl.id, "fail", "graph", "(root)", "no plan-time engine judged it"))
    return out
