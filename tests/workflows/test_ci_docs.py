"""docs/ci.md matches the files: the workflows, their variables, and the IAM policies."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "ci.md").read_text()
EXAMPLES = REPO / "examples" / "github-actions"
LIVE = REPO / "src" / "fdk_guard" / "live"

# boto3 client variable in src/fdk_guard/live -> IAM service prefix
CLIENTS = {
    "ec2": "ec2",
    "elb": "elasticloadbalancing",
    "ecs": "ecs",
    "logs": "logs",
    "rds": "rds",
    "kms": "kms",
    "acm": "acm",
    "s3": "s3",
    "cf": "cloudfront",
    "iam": "iam",
    "r53": "route53",
}
# boto3 operations whose IAM action has another name
IAM_NAME = {
    "s3:get_bucket_encryption": "s3:GetEncryptionConfiguration",
    "s3:get_public_access_block": "s3:GetBucketPublicAccessBlock",
}


def policies() -> dict[str, dict]:
    """Every JSON block of the doc by its first Sid."""
    found = {}
    for block in re.findall(r"```json\n(.*?)```", DOC, re.S):
        doc = json.loads(block)
        statements = doc.get("Statement", [doc])
        found[statements[0]["Sid"]] = doc
    return found


def actions(policy: dict) -> set[str]:
    out: set[str] = set()
    for statement in policy["Statement"]:
        listed = statement["Action"]
        out |= {listed} if isinstance(listed, str) else set(listed)
    return out


def _key(action: str) -> str:
    service, _, name = action.partition(":")
    return f"{service}:{name.replace('_', '').lower()}"


def test_every_json_block_is_a_valid_policy() -> None:
    found = policies()
    assert {"GitHubActionsPlan", "GitHubActionsDeploy", "ReadTerraformState"} <= set(found)
    assert {"FdkGuardLiveChecks", "ListWasmBucket", "RefreshRegistrySecret"} <= set(found)
    for sid, policy in found.items():
        for statement in policy.get("Statement", [policy]):
            assert statement["Effect"] == "Allow", sid
            assert "*" not in actions({"Statement": [statement]}), sid


def test_trust_policies_pin_audience_and_one_repository() -> None:
    for sid in ("GitHubActionsPlan", "GitHubActionsDeploy"):
        (statement,) = policies()[sid]["Statement"]
        condition = statement["Condition"]
        assert condition["StringEquals"]["token.actions.githubusercontent.com:aud"] == (
            "sts.amazonaws.com"
        )
        subjects = {
            **condition.get("StringEquals", {}),
            **condition.get("StringLike", {}),
        }["token.actions.githubusercontent.com:sub"]
        for subject in [subjects] if isinstance(subjects, str) else subjects:
            assert subject.startswith("repo:OWNER/REPO:") and "*" not in subject


def test_live_check_role_allows_every_call_the_live_checks_make() -> None:
    """Each literal boto3 operation in src/fdk_guard/live is in the live-check policy."""
    allowed = {_key(a) for a in actions(policies()["FdkGuardLiveChecks"])}
    calls = set()
    for source in LIVE.rglob("*.py"):
        text = source.read_text()
        for var, op in re.findall(r"_pages\(\s*(\w+),\s*\"(\w+)\"", text):
            calls.add((var, op))
        calls |= set(re.findall(r"\b(\w+)\.((?:describe|get|list)_\w+)\(", text))
    needed = {
        IAM_NAME.get(f"{CLIENTS[v]}:{op}", f"{CLIENTS[v]}:{op}")
        for v, op in calls
        if v in CLIENTS and op != "get_paginator"
    }
    if len(needed) < 10:
        pytest.fail(f"found only {sorted(needed)} in {LIVE}: has the live layer moved?")
    missing = sorted(a for a in needed if _key(a) not in allowed)
    assert missing == [], f"docs/ci.md live-check role lacks {missing}"


def test_live_check_role_is_read_only() -> None:
    for action in actions(policies()["FdkGuardLiveChecks"]):
        assert re.match(r"^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]+$", action), action


def test_deploy_role_grants_what_the_ci_user_has_and_no_more() -> None:
    hcl = (REPO / "reference" / "modules" / "iam-user" / "main.tf").read_text()
    # The two policy documents the CI user (and the reference's deploy role) get.
    documents = re.findall(
        r'data "aws_iam_policy_document" "(?:s3_deploy|invalidate)" \{(.*?)\n\}', hcl, re.S
    )
    assert len(documents) == 2, "the CI user's policy documents moved"
    ci_user = {
        action
        for document in documents
        for group in re.findall(r"actions\s*=\s*\[([^\]]*)\]", document)
        for action in re.findall(r'"([^"]+)"', group)
    }
    assert ci_user, "no actions found in the CI user's policy"
    assert actions(policies()["ListWasmBucket"]) == ci_user


def test_the_doc_names_every_example_workflow_and_variable() -> None:
    for workflow in sorted(EXAMPLES.glob("*.yml")):
        assert f"`{workflow.name}`" in DOC, workflow.name
        for variable in set(re.findall(r"\bvars\.([A-Z0-9_]+)", workflow.read_text())):
            assert f"`{variable}`" in DOC, f"{workflow.name} uses vars.{variable}, undocumented"
        for secret in set(re.findall(r"\bsecrets\.([A-Z0-9_]+)", workflow.read_text())):
            assert f"`{secret}`" in DOC, f"{workflow.name} uses secrets.{secret}, undocumented"


def _comment_block() -> str:
    match = re.search(
        r"<!-- BEGIN fdk-gate comment[^>]*-->\n(.*?)<!-- END fdk-gate comment -->", DOC, re.S
    )
    assert match, "docs/ci.md has no sample pull-request comment"
    return match.group(1)


def test_the_sample_comment_gives_the_verdicts_of_its_findings() -> None:
    """The sample is the gate's output for the stored findings, not a hand-written table."""
    import gzip

    from fdk_guard.catalogue import partial_engines
    from fdk_guard.findings import Finding
    from fdk_guard.reports.markdown import WORD, control_verdict

    fixture = REPO / "tests" / "workflows" / "fixtures"
    raw = gzip.decompress((fixture / "gate-mutation-http-forward.findings.json.gz").read_bytes())
    rows = [Finding.from_dict(r) for r in json.loads(raw)]
    shown = dict(
        re.findall(
            r"^\| (FDK-[A-Z]+-\d+) \| [^|]*(?:\\\|[^|]*)* \| \S+ ([^|]+?) \|",
            _comment_block(),
            re.M,
        )
    )
    assert len(shown) >= 25, shown
    for control, word in shown.items():
        mine = [r for r in rows if r.control == control]
        partial = partial_engines().get(control, ())  # as summary.md judges it
        expected = WORD[control_verdict(mine, partial)] if mine else "not evaluated"
        assert word == expected, f"{control}: the sample says {word}, its findings {expected}"
    assert shown["FDK-TLS-01"] == "fail"
    failing_builtins = {
        r.control for r in rows if r.status == "fail" and r.control.startswith("CKV")
    }
    listed = set(re.findall(r"^\| (CKV2?_AWS_\d+) \|", _comment_block(), re.M))
    assert listed == failing_builtins
