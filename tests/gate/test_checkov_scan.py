"""The plan checkov reads: only what its parser uses, and a large plan in parts."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from fdk_guard.engines import checkov


def _block(i: int, on: bool) -> tuple[dict, dict]:
    address = f"module.site.aws_s3_bucket_public_access_block.b[{i}]"
    values = {
        "bucket": f"b{i}",
        "block_public_acls": on,
        "block_public_policy": True,
        "ignore_public_acls": True,
        "restrict_public_buckets": True,
    }
    resource = {
        "address": address,
        "mode": "managed",
        "type": "aws_s3_bucket_public_access_block",
        "name": "b",
        "index": i,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "values": values,
    }
    change = {
        "address": address,
        "module_address": "module.site",
        "mode": "managed",
        "type": "aws_s3_bucket_public_access_block",
        "name": "b",
        "index": i,
        "change": {
            "actions": ["create"],
            "before": None,
            "after": values,
            "after_unknown": {},
            "before_sensitive": False,
            "after_sensitive": {},
        },
    }
    return resource, change


def plan(n: int) -> dict:
    """n public access blocks in a module, every seventh with public ACLs allowed."""
    pairs = [_block(i, on=i % 7 != 0) for i in range(n)]
    return {
        "format_version": "1.2",
        "terraform_version": "1.10.5",
        "variables": {"name": {"value": "fdk"}},
        "planned_values": {
            "outputs": {"url": {"sensitive": False, "value": "x"}},
            "root_module": {
                "child_modules": [{"address": "module.site", "resources": [r for r, _ in pairs]}]
            },
        },
        "resource_changes": [c for _, c in pairs],
        "prior_state": {"values": {"root_module": {}}},
        "configuration": {"root_module": {"module_calls": {}}},
    }


def _files(target: Path) -> list[Path]:
    return sorted(target.rglob("*.json")) if target.is_dir() else [target]


def _addresses(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        data = json.loads(path.read_text())
        for module in data["planned_values"]["root_module"].get("child_modules", []):
            found += [r["address"] for r in module["resources"]]
    return found


def test_a_small_plan_is_one_file_with_only_what_checkov_reads(tmp_path: Path) -> None:
    target = checkov.plan_for_scan(plan(10), tmp_path)
    assert target.is_file()
    data = json.loads(target.read_text())
    assert set(data) == {
        "format_version",
        "terraform_version",
        "planned_values",
        "resource_changes",
    }
    assert "outputs" not in data["planned_values"]
    change = data["resource_changes"][0]["change"]
    # a create has no `before`: its values are read from planned_values alone
    assert change == {"actions": ["create"], "after_unknown": {}, "before": None, "after": None}


def test_an_update_keeps_before_and_after(tmp_path: Path) -> None:
    given = plan(1)
    after = given["resource_changes"][0]["change"]["after"]
    before = dict(after, block_public_acls=not after["block_public_acls"])
    given["resource_changes"][0]["change"].update(actions=["update"], before=before)
    data = json.loads(checkov.plan_for_scan(given, tmp_path).read_text())
    change = data["resource_changes"][0]["change"]
    assert change["before"] == before and change["after"] == after


def test_a_large_plan_is_scanned_in_parts_each_resource_once(tmp_path: Path) -> None:
    n = checkov.SHARD * 2 + 7
    target = checkov.plan_for_scan(plan(n), tmp_path)
    files = _files(target)
    assert target.is_dir() and len(files) == 3
    assert len({f.parent for f in files}) == 3  # one folder each
    addresses = _addresses(files)
    expected = [f"module.site.aws_s3_bucket_public_access_block.b[{i}]" for i in range(n)]
    assert sorted(addresses) == sorted(expected)
    for path in files:  # each part holds the changes of its own resources, and no others
        data = json.loads(path.read_text())
        kept = {
            r["address"]
            for r in data["planned_values"]["root_module"]["child_modules"][0]["resources"]
        }
        assert {c["address"] for c in data["resource_changes"]} == kept


def test_with_the_builtins_checkov_reads_the_whole_plan(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FDK_CHECKOV_BUILTINS", "1")
    given = plan(checkov.SHARD * 2)
    target = checkov.plan_for_scan(given, tmp_path)
    assert target.is_file() and json.loads(target.read_text()) == given


@pytest.mark.skipif(not os.environ.get("FDK_CHECKOV"), reason="FDK_CHECKOV not set (nox sets it)")
def test_the_parts_give_the_rows_of_the_whole(tmp_path: Path, monkeypatch) -> None:
    n = checkov.SHARD * 2 + 7
    parts = checkov.collect(
        checkov.start(checkov.plan_for_scan(plan(n), tmp_path / "parts"), "terraform_plan")
    )
    monkeypatch.setattr(checkov, "SHARD", n)
    whole = checkov.collect(
        checkov.start(checkov.plan_for_scan(plan(n), tmp_path / "one"), "terraform_plan")
    )
    assert sorted(map(repr, parts)) == sorted(map(repr, whole))
    failing = {r.resource for r in parts if r.control == "FDK-DATA-04" and r.status == "fail"}
    assert failing == {
        f"module.site.aws_s3_bucket_public_access_block.b[{i}]" for i in range(0, n, 7)
    }


def test_every_fdk_checkov_check_reads_one_resource() -> None:
    """Scanning a plan in parts is right only for resource checks: a checkov graph check
    (YAML) or a check of another kind would miss what lies in another part."""
    folder = checkov.CHECKS_DIR
    assert not [p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json")]
    checks = [p for p in folder.glob("*.py") if p.name not in ("__init__.py", "fdk_base.py")]
    assert checks
    for path in checks:
        classes = re.findall(r"^class (\w+)\((\w+)\):", path.read_text(), re.M)
        assert classes and all(base == "FdkCheck" for _, base in classes), (path.name, classes)


def test_a_folder_reused_holds_only_the_parts_of_the_last_plan(tmp_path: Path) -> None:
    checkov.plan_for_scan(plan(checkov.SHARD * 3), tmp_path)
    target = checkov.plan_for_scan(plan(checkov.SHARD + 1), tmp_path)
    assert len(_files(target)) == 2
    small = checkov.plan_for_scan(plan(checkov.SHARD), tmp_path)  # one file, parts gone
    assert sorted(p.name for p in tmp_path.iterdir()) == [small.name]
    checkov.plan_for_scan(plan(checkov.SHARD + 1), tmp_path)  # parts, the file gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan-for-checkov"]
