"""checkov, run once per scan: the FDK custom checks (policies/checkov), and checkov's
built-in AWS checks when FDK_CHECKOV_BUILTINS=1. FDK results become findings of their
control; built-in CKV_* results are reported under their own IDs, apart from the FDK rows
(they never fail the gate).

Speed: checkov spends ~4 s importing itself, so `warm()` starts it before the plan exists
(while Terraform plans) and hands it its arguments later. Without the built-ins, checkov
gets only what its resource checks read (`plan_for_scan`): no `configuration` section (the
reference graph checkov builds from it grows with the square of the resources: a count of
400 buckets, most of a minute), and a large plan in parts (see SHARD).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from fdk_guard import children
from fdk_guard.catalogue import REPO_ROOT
from fdk_guard.engines import warm_start
from fdk_guard.errors import GuardError, one_line
from fdk_guard.findings import Finding

CHECKS_DIR = REPO_ROOT / "policies" / "checkov"
TIMEOUT_S = 900
DEFERRED = "deferred: "


def binary() -> str:
    exe = os.environ.get("FDK_CHECKOV", "").strip()
    if not exe:
        raise GuardError("checkov not configured: set FDK_CHECKOV to its binary (nox does)")
    if not (Path(exe).is_file() and os.access(exe, os.X_OK)):
        raise GuardError(f"checkov not found or not executable: {exe} (FDK_CHECKOV)")
    return exe


def builtins_enabled() -> bool:
    return os.environ.get("FDK_CHECKOV_BUILTINS", "").strip().lower() in ("1", "true", "yes")


def fdk_check_ids() -> list[str]:
    """The controls the FDK custom checks judge."""
    ids: set[str] = set()
    for path in CHECKS_DIR.glob("*.py"):
        ids.update(re.findall(r'CONTROL = "(FDK-[A-Z]+-\d+)"', path.read_text()))
    return sorted(ids)


def arguments(target: Path, framework: str, root: Path | None, tfvars: Path | None) -> list[str]:
    """checkov's arguments (without the program) for one scan."""
    args = ["-d", str(target)] if target.is_dir() else ["-f", str(target)]
    args += ["--framework", framework, "--skip-download", "-o", "json", "--soft-fail"]
    args += ["--external-checks-dir", str(CHECKS_DIR)]
    if not builtins_enabled():
        args += ["--check", ",".join(fdk_check_ids())]
    elif framework == "terraform_plan" and root is not None:
        # gives the plan's resources their source lines, so `checkov:skip` comments apply
        args += ["--repo-root-for-plan-enrichment", str(root)]
    if framework == "terraform" and tfvars is not None:
        args += ["--var-file", str(tfvars)]
    return args


def command(target: Path, framework: str, root: Path | None, tfvars: Path | None) -> list[str]:
    return [binary(), *arguments(target, framework, root, tfvars)]


def _env() -> dict[str, str]:
    env = dict(os.environ, EVAL_TF_PLAN_AFTER_UNKNOWN="1", BC_SKIP_MAPPING="TRUE")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled bytecode halves its start-up
    return env


def start(target: Path, framework: str, root=None, tfvars=None) -> subprocess.Popen:
    """Start checkov in the background (it takes seconds to start; other work overlaps)."""
    try:
        return children.popen(  # its own process group: stopped on Ctrl-C/SIGTERM
            command(target, framework, root, tfvars),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            cwd=str(root if root is not None and framework == "terraform" else target.parent),
        )
    except OSError as err:
        raise GuardError(f"cannot run checkov: {err}") from None


class Warm(warm_start.Warm):
    """checkov, imported while Terraform plans: `scan()` gives it its arguments."""

    def __init__(self) -> None:
        super().__init__(
            "checkov",
            binary(),
            preload="from checkov.main import Checkov",
            run="sys.exit(Checkov(argv).run())",
            env=_env(),
        )

    def scan(self, target: Path, framework: str, root=None, tfvars=None) -> subprocess.Popen:
        return self.start(arguments(target, framework, root, tfvars))


def warm() -> Warm:
    return Warm()


# What checkov's plan parser reads of a plan; the rest is parsed (slowly: by a YAML loader
# that keeps line numbers) for nothing.
_READ = ("format_version", "terraform_version", "planned_values", "resource_changes")
# Resources per file checkov reads. Its graph links each instance of a `count` block to
# every instance of that block in the same folder (1,200 instances: 480,000 comparisons);
# the FDK checks read one resource at a time, so a large plan is scanned in parts, one
# folder each, in the same run.
SHARD = 50


def _change(change: dict) -> dict:
    """A resource change as checkov reads it: its actions and what is unknown; `after` only
    beside a `before` (the two give the changed keys; a create has none)."""
    kept = {k: change[k] for k in ("actions", "after_unknown") if k in change}
    before = change.get("before")
    kept["before"], kept["after"] = before, change.get("after") if before else None
    return kept


def _addresses(module: dict) -> list[str]:
    """Every resource address of a planned_values module, its child modules' included."""
    found = [r["address"] for r in module.get("resources") or [] if "address" in r]
    for child in module.get("child_modules") or []:
        found += _addresses(child)
    return found


def _only(module: dict, keep: set[str]) -> dict | None:
    """The module with only the resources in `keep` (None if none is left)."""
    resources = [r for r in module.get("resources") or [] if r.get("address") in keep]
    children = [c for c in (_only(m, keep) for m in module.get("child_modules") or []) if c]
    if not resources and not children:
        return None
    out = {k: v for k, v in module.items() if k not in ("resources", "child_modules")}
    return out | {"resources": resources, "child_modules": children}


def _slim(plan: dict) -> dict:
    """What checkov's resource checks read: no `configuration` (see the module's
    docstring), no outputs, no prior state, each change without a second copy of its values."""
    data = {k: plan[k] for k in _READ if k in plan}
    values = data.get("planned_values")
    if isinstance(values, dict):
        data["planned_values"] = {k: v for k, v in values.items() if k != "outputs"}
    data["resource_changes"] = [
        {**rc, "change": _change(rc.get("change") or {})}
        for rc in data.get("resource_changes") or []
        if isinstance(rc, dict)
    ]
    return data


def _shards(data: dict) -> list[dict]:
    root = (data.get("planned_values") or {}).get("root_module") or {}
    addresses = _addresses(root)
    if len(addresses) <= SHARD:
        return [data]
    shards = []
    for i in range(0, len(addresses), SHARD):
        keep = set(addresses[i : i + SHARD])
        shard = dict(data)
        shard["planned_values"] = {**data["planned_values"], "root_module": _only(root, keep)}
        shard["resource_changes"] = [
            rc for rc in data["resource_changes"] if rc.get("address") in keep
        ]
        shards.append(shard)
    return shards


def plan_for_scan(plan: dict, directory: Path) -> Path:
    """The plan checkov reads, written into `directory`: a file, or a folder of files (one
    folder each) for a plan of more than SHARD resources. With the built-ins, the whole
    plan: their graph checks span resources and read the configuration."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "plan-for-checkov.json"
    folder = directory / "plan-for-checkov"
    # the directory holds the last plan only: nothing of an earlier one is scanned again
    path.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    if builtins_enabled():
        path.write_text(json.dumps(plan))
        return path
    shards = _shards(_slim(plan))
    if len(shards) == 1:
        path.write_text(json.dumps(shards[0]))
        return path
    for i, shard in enumerate(shards):
        (folder / f"{i:03d}").mkdir(parents=True)
        (folder / f"{i:03d}" / "plan.json").write_text(json.dumps(shard))
    return folder


def collect(proc: subprocess.Popen) -> list[Finding]:
    try:
        out, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise GuardError(f"checkov did not finish within {TIMEOUT_S}s") from None
    try:
        data = json.loads(out) if out.strip() else None
    except ValueError:
        data = None
    if data is None or proc.returncode not in (0, 1):
        reason = (err or out or "no output").strip().splitlines()
        raise GuardError(f"checkov failed (exit {proc.returncode}): {one_line(reason[-1])}")
    return to_findings(data)


def to_findings(data: dict | list) -> list[Finding]:
    reports = data if isinstance(data, list) else [data]
    rows: list[Finding] = []
    for report in reports:
        results = report.get("results") or {}
        for kind in ("passed_checks", "failed_checks", "skipped_checks"):
            for rec in results.get(kind, []):
                row = record_to_finding(kind, rec)
                if row is not None:
                    rows.append(row)
    return rows


def record_to_finding(kind: str, rec: dict) -> Finding | None:
    check_id = rec.get("check_id", "")
    resource = rec.get("resource_address") or rec.get("resource") or ""
    details = [d for d in rec.get("details") or [] if isinstance(d, str)]
    result = rec.get("check_result") or {}
    fdk = check_id.startswith("FDK-")
    name = rec.get("check_name") or check_id
    if kind == "passed_checks":
        return Finding(check_id, "pass", "checkov", resource, name)
    if kind == "failed_checks":
        message = "; ".join(details) if fdk and details else name
        return Finding(
            check_id, "fail", "checkov", resource, f"{name}: {message}" if fdk else message
        )
    if "suppress_comment" in result:
        comment = result.get("suppress_comment") or "no reason given"
        if fdk:  # an FDK promise is not waived by a comment
            return Finding(check_id, "fail", "checkov", resource, f"skipped by comment ({comment})")
        return Finding(check_id, "not_applicable", "checkov", resource, f"skipped: {comment}")
    deferred = [d[len(DEFERRED) :] for d in details if d.startswith(DEFERRED)]
    if deferred:
        return Finding(check_id, "deferred", "checkov", resource, f"{name}: {'; '.join(deferred)}")
    return None  # the rule does not apply to this resource (e.g. TLS-02 on an HTTP listener)
