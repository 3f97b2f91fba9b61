"""Plan-time engines: each turns a root (HCL) or a plan (JSON) into Findings.

Owned by the policies work (issue 3); the CLI calls only these two functions.
"""

from __future__ import annotations

from pathlib import Path

from fdk_guard.findings import Finding


def evaluate_hcl(root: Path) -> list[Finding]:
    """Policy checks that read the Terraform source of `root` (checkov HCL scan)."""
    return []  # placeholder until the policies land; see issue 3


def evaluate_plan(plan_path: Path, plan: dict) -> list[Finding]:
    """Policy checks over a plan JSON (`terraform show -json`): checkov, graph, compliance."""
    return []  # placeholder until the policies land; see issue 3
