"""Plan roots with mutation files, judge every plan, and keep the verdicts.

Planning goes through the gate's planner (plan_many: parallel, cached by input hash). A
mutation is an overlay: its folder's files land where they belong in the planner's own
temporary working copy of the root (a file under modules/<m>/ lands in that module), so
no copy is made here and the same mutation has the same cache key in every layer that
plans it (tests/compliance, tests/reports). The graph checks run here; checkov runs ONCE
over every plan (one start-up for the whole table).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from fdk_guard import config
from fdk_guard.engines import checkov as checkov_engine
from fdk_guard.engines import compliance as compliance_engine
from fdk_guard.engines import subjects
from fdk_guard.findings import Finding
from fdk_guard.gate import judges_digest
from fdk_guard.plangraph import PlanGraph
from fdk_guard.plangraph import checks as graph_checks
from fdk_guard.terraform import PlanRequest, plan_many
from fdk_guard.terraform.plan import _locked, _write_atomic

REPO = Path(__file__).resolve().parents[2]
MUTATIONS = REPO / "tests" / "fixtures" / "mutations"
TABLE = Path(__file__).with_name("mutations.yaml")
# the harness judges too (which checks, which plans checkov sees): part of the cache key
_HARNESS_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


@dataclass
class Case:
    name: str
    root: Path
    tfvars: tuple[Path, ...]  # var files, later ones win
    fails: set[str] | None  # None: a baseline (fails nothing)
    decided: set[str] = field(default_factory=set)
    not_applicable: set[str] = field(default_factory=set)
    plan_path: Path | None = None
    plan: dict | None = None
    sources: dict | None = None
    rows: list[Finding] = field(default_factory=list)
    replanned: bool = False
    overlays: tuple[Path, ...] = ()  # the mutation's folders, laid over the root
    scenarios: set[str] = field(default_factory=set)  # terraform-compliance's, failing
    inventory: dict | None = None  # a unit inventory's scenario and the lines it reports

    def request(self) -> PlanRequest:
        return PlanRequest(self.root, self.tfvars, overlays=self.overlays)

    def failing_scenarios(self) -> set[str]:
        """The terraform-compliance scenarios failing on the plan, by name."""
        rows = self.rows
        return {scenario_of(r) for r in rows if r.engine == "compliance" and r.status == "fail"}

    def failing(self, engines=("graph", "checkov")) -> set[str]:
        return {
            r.control
            for r in self.rows
            if r.status == "fail" and r.engine in engines and r.control.startswith("FDK-")
        }


def scenario_of(row: Finding) -> str:
    """The scenario a compliance row comes from ("scenario 'X' (Feature): ...")."""
    return row.message.split("scenario '", 1)[1].split("' (", 1)[0]


def load_table() -> dict:
    return yaml.safe_load(TABLE.read_text())


def _tfvars(spec: dict) -> tuple[Path, ...]:
    """The root's var files: its tfvars, then a file of the table's `extra_vars` if any."""
    if not spec.get("tfvars"):
        return ()
    base = REPO / spec["tfvars"]
    extra = spec.get("extra_vars")
    if not extra:
        return (base,)
    return (base, var_file("".join(f"{k} = {json.dumps(v)}\n" for k, v in extra.items())))


def var_file(text: str) -> Path:
    """A var file holding `text`, named by its content (the plan cache keys a var file by
    name and content), in a folder removed when the process ends."""
    global _VARS
    if _VARS is None:
        _VARS = Path(tempfile.mkdtemp(prefix="fdk-test-vars-"))
        atexit.register(shutil.rmtree, _VARS, True)
    path = _VARS / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}.tfvars"
    path.write_text(text)
    return path


_VARS: Path | None = None


def overlays(name: str, folders: list[str]) -> tuple[Path, ...]:
    """The folders of a mutation (tests/fixtures/mutations/<folder>), laid over its root."""
    found = tuple(MUTATIONS / folder for folder in folders)
    for folder in found:
        if not folder.is_dir():
            raise FileNotFoundError(f"{name}: no mutation folder {folder}")
    return found


def cases(only: set[str] | None = None) -> list[Case]:
    table = load_table()
    roots = table["roots"]
    out: list[Case] = []
    for name in table["baselines"]:
        spec = roots[name]
        out.append(Case(f"baseline:{name}", REPO / spec["root"], _tfvars(spec), None))
    for m in table["mutations"]:
        spec = roots[m["root"]]
        files = m["files"] if "files" in m else [m["name"]]
        out.append(
            Case(
                m["name"],
                REPO / spec["root"],
                _tfvars(spec),
                set(m["fails"]),
                set(m.get("decided", [])),
                set(m.get("not_applicable", [])),
                overlays=overlays(m["name"], files),
                scenarios=set(m.get("compliance", [])),
                inventory=m.get("inventory"),
            )
        )
    return [c for c in out if only is None or c.name in only]


def plan_all(items: list[Case], workers: int = 2) -> None:
    results = plan_many([c.request() for c in items], workers)
    for case, result in zip(items, results, strict=True):
        case.plan_path, case.plan, case.sources = result.json_path, result.plan, result.sources


def _judged_path(case: Case, judges: str) -> Path:
    key = hashlib.sha256(f"{case.plan_path.stem}{judges}{_HARNESS_DIGEST}".encode()).hexdigest()
    return config.cache_dir() / "mutation-findings" / f"{key}.json"


def judge_all(items: list[Case], work: Path, with_compliance: bool = True) -> None:
    """Each plan's rows from the cache (keyed by the plan and everything that judges it),
    else judged: graph checks per plan, checkov once over the rest, compliance per plan."""
    judges = judges_digest()
    # pytest-xdist workers wait for the one judging, then read its rows
    with _locked(config.cache_dir() / "locks" / "mutation-findings.lock"):
        todo = []
        for case in items:
            path = _judged_path(case, judges)
            try:
                case.rows = [Finding.from_dict(r) for r in json.loads(path.read_text())]
            except (OSError, ValueError, KeyError, TypeError):
                todo.append(case)
        if not todo:
            return
        _judge(todo, work, with_compliance)
        if with_compliance:  # only complete rows are kept
            for case in todo:
                _write_atomic(
                    _judged_path(case, judges), json.dumps([r.to_dict() for r in case.rows])
                )


def _judge(items: list[Case], work: Path, with_compliance: bool) -> None:
    """Graph checks per plan; checkov once over all plans; terraform-compliance per plan."""
    scan = work / "checkov-plans"
    if scan.exists():
        shutil.rmtree(scan)
    scan.mkdir(parents=True)
    for i, case in enumerate(items):
        # as the gate hands plans to checkov (engines/checkov.py), one folder per plan: checkov
        # links same-named resources within a folder, so the table's plans stay apart
        checkov_engine.plan_for_scan(case.plan, scan / f"{i:03d}")
    proc = checkov_engine.start(scan, "terraform_plan")
    compliance_jobs = []
    if with_compliance:
        with ThreadPoolExecutor(max_workers=2) as pool:
            compliance_jobs = [
                pool.submit(compliance_engine.evaluate, c.plan_path, c.plan) for c in items
            ]
            for case in items:
                case.rows = graph_checks.run(PlanGraph(case.plan, case.sources))
            for case, job in zip(items, compliance_jobs, strict=True):
                case.rows += job.result()
    else:
        for case in items:
            case.rows = graph_checks.run(PlanGraph(case.plan, case.sources))
    by_file = checkov_by_file(proc)
    for i, case in enumerate(items):  # as the gate does (fdk_guard.engines)
        case.rows += subjects.one_of_many(by_file.get(f"{i:03d}", []), case.plan)


def checkov_by_file(proc) -> dict[str, list[Finding]]:
    """checkov's rows by the folder under the scanned one they come from."""
    out, err = proc.communicate(timeout=checkov_engine.TIMEOUT_S)
    data = json.loads(out)
    reports = data if isinstance(data, list) else [data]
    rows: dict[str, list[Finding]] = {}
    for report in reports:
        for kind in ("passed_checks", "failed_checks", "skipped_checks"):
            for rec in (report.get("results") or {}).get(kind, []):
                row = checkov_engine.record_to_finding(kind, rec)
                if row is not None:
                    # "/000/plan-for-checkov.json": relative to the scanned folder
                    folder = Path(rec.get("file_path", "").lstrip("/")).parts[0]
                    rows.setdefault(folder, []).append(row)
    return rows
