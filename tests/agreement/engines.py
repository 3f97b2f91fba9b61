"""Run the agreement cases through each engine and read back one verdict per case.

graph: one plan graph per case. checkov: one run over one plan holding every case (its
checks judge one resource each). terraform-compliance: one run over one plan holding every
case, except for controls whose scenarios compare across resources ("any of its values")
or whose subject is one resource of its type: those get one plan per case. live: one
snapshot per case.

terraform-compliance stops a scenario at the first step that fails, for every resource: a
resource lacking a block the provider always shows would hide the other cases' verdicts.
The worlds are therefore complete (every distribution has its cache behavior and viewer
certificate, every target group its health check), as plans of real roots are.

The two tools' rows are kept in the cache folder, keyed by the plan they read and by
everything that judges it (fdk_guard.gate.judges_digest, as the gate keeps its own): a
changed case, check, scenario or tool version runs the tool again.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fdk_guard import config
from fdk_guard.engines import checkov, compliance
from fdk_guard.findings import Finding
from fdk_guard.gate import judges_digest
from fdk_guard.live.checks import all_checks
from fdk_guard.live.scope import Scope
from fdk_guard.live.snapshot import Snapshot
from fdk_guard.plangraph import PlanGraph
from fdk_guard.plangraph.checks import load_checks
from fdk_guard.terraform.plan import _write_atomic
from tests.agreement.cases import REGION, Case
from tests.agreement.plans import plan

ORDER = ("fail", "deferred", "pass", "not_applicable")
# WEB-01's scenarios judge a value across all resources of a type; the subject of NET-03,
# ECS-02, DATA-03 and ECS-01 is one of its type, and a plan with several defers them
# (fdk_guard.engines.subjects)
ISOLATED_IN_COMPLIANCE = {"FDK-WEB-01", "FDK-NET-03", "FDK-ECS-02", "FDK-DATA-03", "FDK-ECS-01"}


def status(rows: list[Finding]) -> str | None:
    found = {r.status for r in rows}
    return next((s for s in ORDER if s in found), None)


def _of(rows: list[Finding], case: Case, engine: str) -> list[Finding]:
    subject = case.subject_for(engine)
    return [r for r in rows if r.control == case.control and r.resource == subject]


def world(cases: list[Case]) -> dict:
    variables = {k: v for case in cases for k, v in case.variables.items()}
    return plan([res for case in cases for res in case.world], variables=variables)


def _kept(tool: str, plan: dict, run: Callable[[], list[Finding]]) -> list[Finding]:
    """`run()`'s rows, or those it gave on the same plan with the same judges."""
    text = f"{tool}\0{json.dumps(plan, sort_keys=True)}\0{judges_digest()}"
    path = config.cache_dir() / "agreement" / f"{hashlib.sha256(text.encode()).hexdigest()}.json"
    try:
        return [Finding.from_dict(r) for r in json.loads(path.read_text())]
    except (OSError, ValueError, KeyError, TypeError):
        rows = run()
        _write_atomic(path, json.dumps([r.to_dict() for r in rows]))
        return rows


def graph(cases: list[Case]) -> dict[str, str | None]:
    checks = load_checks()
    out = {}
    for case in cases:
        sources = {"": {"main.tf": case.hcl}} if case.hcl else None
        graph = PlanGraph(plan(case.world, variables=case.variables), sources)
        rows = checks[case.control].check(graph)
        out[case.key] = status(_of(rows, case, "graph"))
    return out


def checkov_run(cases: list[Case], tmp: Path) -> dict[str, str | None]:
    """One checkov scan, as the gate runs it (the plan as checkov.plan_for_scan hands it)."""
    plan = world(cases)
    rows = _kept(
        "checkov",
        plan,
        lambda: checkov.collect(checkov.start(checkov.plan_for_scan(plan, tmp), "terraform_plan")),
    )
    return {case.key: status(_of(rows, case, "checkov")) for case in cases}


def compliance_run(cases: list[Case]) -> dict[str, str | None]:
    groups: list[list[Case]] = [[c for c in cases if c.control not in ISOLATED_IN_COMPLIANCE]]
    # an isolated case joins a group holding no case of its control and no resource of a
    # type it holds (two target groups in one plan defer ECS-02's failures)
    taken: list[tuple[set[str], set[str]]] = []
    for c in cases:
        if c.control not in ISOLATED_IN_COMPLIANCE:
            continue
        types = {r.type for r in c.world}
        for group, (controls, held) in zip(groups[1:], taken, strict=True):
            if c.control not in controls and not types & held:
                group.append(c)
                controls.add(c.control)
                held |= types
                break
        else:
            groups.append([c])
            taken.append(({c.control}, set(types)))

    def judge(group: list[Case]) -> dict[str, str | None]:
        plan = world(group)
        rows = _kept("compliance", plan, lambda: compliance.evaluate(None, plan))
        out = {}
        for case in group:
            named = status(_of(rows, case, "compliance"))
            ran = [r for r in rows if r.control == case.control and r.status != "not_applicable"]
            # a pass row names no resource: the scenarios ran and did not name this one
            out[case.key] = named or ("pass" if ran else None)
        return out

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(judge, [g for g in groups if g]))
    return {k: v for r in results for k, v in r.items()}


def live(cases: list[Case]) -> dict[str, str | None]:
    by_control = defaultdict(list)
    for chk in all_checks():
        by_control[chk.control].append(chk)
    out = {}
    for case in cases:
        if case.live is None:
            continue
        snap = Snapshot(region=REGION, scope=Scope())
        subject = case.live(snap)
        rows = [f for chk in by_control[case.control] for f in chk.run(snap)]
        out[case.key] = status([r for r in rows if r.resource == subject])
    return out
