"""checkov, run once per scan: the FDK custom checks (policies/checkov) and the built-in
AWS checks together. FDK results become findings of their control; built-in CKV_* results
are reported under their own IDs, apart from the FDK rows.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from fdk_guard import children
from fdk_guard.catalogue import REPO_ROOT
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


def command(target: Path, framework: str, root: Path | None, tfvars: Path | None) -> list[str]:
    args = [binary()]
    args += ["-d", str(target)] if target.is_dir() else ["-f", str(target)]
    args += ["--framework", framework, "--skip-download", "-o", "json", "--soft-fail"]
    args += ["--external-checks-dir", str(CHECKS_DIR)]
    if framework == "terraform_plan" and root is not None:
        # gives the plan's resources their source lines, so `checkov:skip` comments apply
        args += ["--repo-root-for-plan-enrichment", str(root)]
    if framework == "terraform" and tfvars is not None:
        args += ["--var-file", str(tfvars)]
    return args


def start(target: Path, framework: str, root=None, tfvars=None) -> subprocess.Popen:
    """Start checkov in the background (it takes seconds to start; other work overlaps)."""
    env = dict(os.environ, EVAL_TF_PLAN_AFTER_UNKNOWN="1", BC_SKIP_MAPPING="TRUE")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        return children.popen(  # its own process group: stopped on Ctrl-C/SIGTERM
            command(target, framework, root, tfvars),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(root if root is not None and framework == "terraform" else target.parent),
        )
    except OSError as err:
        raise GuardError(f"cannot run checkov: {err}") from None


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
