"""The plan cache: keys follow the inputs, a second run re-plans nothing, the reference
folder is never touched."""

from __future__ import annotations

import pytest

from .plans import REFERENCE, Planner, PlanRequest, generated_files, offline_override


@pytest.fixture
def tiny_root(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\n')
    (root / "README.md").write_text("docs do not change plans\n")
    (tmp_path / "a.tfvars").write_text('x = "1"\n')
    return root


def test_key_changes_with_each_input(tiny_root, tmp_path):
    planner = Planner(root=tiny_root, cache_dir=tmp_path / "cache", base_overlays=())
    request = PlanRequest("a", (tmp_path / "a.tfvars",))
    first = planner.key(request)
    assert planner.key(PlanRequest("renamed", (tmp_path / "a.tfvars",))) == first
    (tiny_root / "README.md").write_text("edited docs\n")
    assert planner.key(request) == first
    (tmp_path / "a.tfvars").write_text('x = "2"\n')
    second = planner.key(request)
    assert second != first
    (tiny_root / "main.tf").write_text((tiny_root / "main.tf").read_text() + "# edit\n")
    third = planner.key(request)
    assert third != second
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "x_override.tf").write_text("# mutation\n")
    assert planner.key(PlanRequest("m", request.var_files, overlays=(overlay,))) != third


def test_offline_override_covers_every_aws_provider_block():
    text = offline_override(REFERENCE)
    assert text.count('provider "aws"') == (REFERENCE / "providers.tf").read_text().count(
        'provider "aws"'
    )
    assert 'alias                       = "us_east_1"' in text
    assert "skip_requesting_account_id  = true" in text


@pytest.mark.slow
def test_second_run_replans_nothing(planner):
    """A fresh planner (as in a new pytest run) finds every plan of this session on disk."""
    session = {o.request: o.key for o in planner.outcomes()}
    if not session:
        pytest.skip("no plan was made in this session")
    fresh = Planner(cache_dir=planner.cache_dir)
    if any(fresh.key(request) != key for request, key in session.items()):
        pytest.skip("reference/ changed during this session: its plans are outdated")
    outcomes = fresh.plan_many(session)
    assert fresh.stats.planned == []
    assert sorted(fresh.stats.from_disk) == sorted(r.name for r in session)
    assert all(o.cached and (o.plan or o.error) for o in outcomes.values())


@pytest.mark.slow
def test_reference_folder_is_left_untouched(planner):
    """Planning (done at session start) added no working file to reference/."""
    after = generated_files(REFERENCE)
    assert after <= planner.reference_files_before, (
        f"new in {REFERENCE}: {after - planner.reference_files_before}"
    )
    assert REFERENCE not in planner.cache_dir.parents
