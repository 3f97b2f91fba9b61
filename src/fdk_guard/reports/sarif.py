"""SARIF 2.1.0: rules from the catalogue (with severities), one result per finding.

Each result carries its verdict as SARIF's `kind` (pass / fail / open for deferred /
notApplicable); only `fail` has a level other than `none`, so code scanning shows failures.
A waived finding is a failing result with an external suppression (the waiver's reason as
its justification), which code scanning shows as dismissed.
Resource addresses become logical locations; URLs and files, artifact locations.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from fdk_guard import __version__
from fdk_guard.catalogue import Control
from fdk_guard.findings import Finding
from fdk_guard.reports.locations import locate

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning reads properties.security-severity (CVSS-like 0.0-10.0).
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
KINDS = {
    "pass": "pass",
    "fail": "fail",
    "deferred": "open",
    "not_applicable": "notApplicable",
    "waived": "fail",
}
_FILE = re.compile(r"^(?P<path>[\w./-]+\.(?:tf|tfvars|json|hcl|yaml|yml|py))(?::(?P<line>\d+))?$")


def _rule(rule_id: str, control: Control | None, example: str = "") -> dict:
    if control is None:  # a checkov built-in check (CKV_*) or an unknown id
        kind = "checkov built-in check" if rule_id.startswith("CKV") else "check"
        text = f"{rule_id}: {example}" if example else f"{rule_id} ({kind})"
        return {
            "id": rule_id,
            "shortDescription": {"text": text},
            "defaultConfiguration": {"level": "warning"},
            "properties": {"security-severity": "5.0", "tags": ["security", "checkov"]},
        }
    full = control.title + (" (seed: " + "; ".join(control.seed) + ")" if control.seed else "")
    rule = {
        "id": control.id,
        "name": control.id.replace("-", ""),
        "shortDescription": {"text": control.title},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": LEVELS[control.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[control.severity],
            "severity": control.severity,
            "tags": ["security", control.area, *[f"FSBP {f}" for f in control.fsbp]],
        },
    }
    if control.remediation:  # what to change, in Terraform (code scanning shows `help`)
        plain = control.remediation.replace("`", "")
        rule["help"] = {"text": plain, "markdown": f"**Fix:** {control.remediation}"}
    return rule


def _uri(path: Path) -> str:
    """Repository-relative when the file is under the working folder (code scanning's view)."""
    try:
        return (
            Path(os.path.relpath(path)).as_posix()
            if path.is_relative_to(Path.cwd())
            else path.as_uri()
        )
    except ValueError:
        return path.as_uri()


def _location(resource: str, root: Path | None = None) -> dict:
    if re.match(r"^[a-z][a-z0-9+.-]*://", resource):
        return {"physicalLocation": {"artifactLocation": {"uri": resource}}}
    if match := _FILE.match(resource):
        physical: dict = {"artifactLocation": {"uri": match["path"]}}
        if match["line"]:
            physical["region"] = {"startLine": int(match["line"])}
        return {"physicalLocation": physical}
    location: dict = {"logicalLocations": [{"fullyQualifiedName": resource, "kind": "resource"}]}
    declared = locate(root, resource) if root else None
    if declared:
        location["physicalLocation"] = {
            "artifactLocation": {"uri": _uri(declared[0])},
            "region": {"startLine": declared[1]},
        }
    return location


def _suppression(waiver: dict) -> dict:
    return {
        "kind": "external",
        "status": "accepted",
        "justification": waiver.get("reason", "waived"),
        "properties": {k: waiver[k] for k in ("owner", "expires") if k in waiver},
    }


def render(rows: list[Finding], controls: dict[str, Control], root: Path | None = None) -> dict:
    rule_ids = list(controls) + sorted({r.control for r in rows} - set(controls))
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    examples: dict[str, str] = {}  # a built-in check's title, as its findings word it
    for row in rows:
        if row.control not in controls and row.message:
            examples.setdefault(row.control, row.message)
    results = []
    for row in rows:
        control = controls.get(row.control)
        level = "none"
        if row.status in ("fail", "waived"):
            level = LEVELS[control.severity] if control else "warning"
        result = {
            "ruleId": row.control,
            "ruleIndex": index[row.control],
            "kind": KINDS[row.status],
            "level": level,
            "message": {"text": row.message or f"{row.control}: {row.status}"},
            "properties": {"engine": row.engine, "status": row.status},
        }
        if row.session:
            result["properties"]["session"] = row.session
        if row.status == "waived":
            result["suppressions"] = [_suppression(row.waiver or {})]
        if row.resource:
            result["locations"] = [_location(row.resource, root)]
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "fdk-guard",
                        "semanticVersion": __version__,
                        "rules": [_rule(i, controls.get(i), examples.get(i, "")) for i in rule_ids],
                    }
                },
                "results": results,
            }
        ],
    }
