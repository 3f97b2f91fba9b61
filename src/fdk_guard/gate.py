"""Plan a root and judge its plan, with the judging cached beside the plan.

`nox -s lint plan` runs two processes one after the other. `lint` plans the root to
validate it; judging that plan there too, with the tools already started while Terraform
planned, and keeping the findings in the cache, leaves `plan` only the reports to write.
The findings are cached under the plan's own key and a digest of everything that judges
(policies, features, the plan graph, the engines, the tool binaries), so a change to a
check is never served stale findings.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from fdk_guard import config, engines
from fdk_guard.engines import checkov, compliance
from fdk_guard.errors import GuardError
from fdk_guard.findings import Finding
from fdk_guard.terraform import PlanResult, plan_root
from fdk_guard.terraform.plan import _write_atomic

FORMAT = "fdk-findings-v1"
_JUDGES = (
    "policies",
    "features",
    "src/fdk_guard/plangraph",
    "src/fdk_guard/engines",
    "src/fdk_guard/catalogue.py",
    "src/fdk_guard/findings.py",
    "src/fdk_guard/internet.py",
    "src/fdk_guard/gate.py",
    "noxfile.py",  # the tools' pinned versions
)


def judges_digest() -> str:
    """A digest of everything that judges a plan: a changed check never serves stale rows."""
    from fdk_guard.catalogue import REPO_ROOT

    digest = hashlib.sha256(FORMAT.encode())
    for folder in _JUDGES:
        base = REPO_ROOT / folder
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(str(path.relative_to(REPO_ROOT)).encode() + b"\0" + path.read_bytes())
    for var in ("FDK_CHECKOV", "FDK_TERRAFORM_COMPLIANCE", "FDK_CHECKOV_BUILTINS", "FDK_FEATURES"):
        digest.update(f"{var}={os.environ.get(var, '')}\0".encode())
    return digest.hexdigest()


def _findings_path(result: PlanResult) -> Path:
    key = hashlib.sha256((result.json_path.stem + judges_digest()).encode()).hexdigest()
    return config.cache_dir() / "findings" / f"{key}.json"


def _cached(path: Path) -> list[Finding] | None:
    try:
        return [Finding.from_dict(r) for r in json.loads(path.read_text())]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def tools_configured() -> bool:
    """Whether both tool engines can run here (nox's sessions configure them)."""
    try:
        checkov.binary()
        compliance.binary()
    except GuardError:
        return False
    return True


def judged(
    root: Path,
    tfvars: Path | None,
    *,
    use_cache: bool = True,
    plan_json: Path | None = None,
    keep_going: bool = False,
    **plan_args,
) -> tuple[PlanResult, list[Finding] | None]:
    """Plan `root` (cached) and judge the plan with every plan-time engine (cached).

    checkov and terraform-compliance start once Terraform has initialised (not when the plan
    is cached), so that their start-up overlaps the plan. `plan_json` is where the plan
    JSON is written for the engines and the reports (default: only its cache file). With
    `keep_going`, a judging that cannot run gives None instead of raising (lint: `plan`
    judges again and says why); a plan that fails always raises.
    """
    started: list[engines.Warmed] = []

    def start_tools(copy_root: Path, env: dict) -> None:  # once Terraform has initialised
        if tools_configured():  # a tool that cannot start ahead is left to evaluate_plan
            started.append(engines.warm())

    try:
        result = plan_root(root, tfvars, use_cache=use_cache, on_init=start_tools, **plan_args)
        if plan_json is not None:
            plan_json.parent.mkdir(parents=True, exist_ok=True)
            plan_json.write_text(json.dumps(result.plan) + "\n")  # already redacted
        path = _findings_path(result)
        hit = _cached(path) if use_cache else None
        if hit is not None:
            return result, hit
        handed = started.pop() if started else None
        try:
            rows = engines.evaluate_plan(
                plan_json or result.json_path,
                result.plan,
                root,
                sources=result.sources,
                warm=handed,
            )
        except GuardError:
            if keep_going:
                return result, None
            raise
        _write_atomic(path, json.dumps([r.to_dict() for r in rows]))
        return result, rows
    finally:
        for warm in started:
            warm.cancel()
