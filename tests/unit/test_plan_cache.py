"""The unit tests' plans come from the one plan cache: a second run re-plans nothing, an
expected failure included, and the reference folder is never touched."""

from __future__ import annotations

import pytest

from .plans import REFERENCE, Plans, cache_dir, generated_files


@pytest.mark.slow
def test_second_run_replans_nothing(planner):
    """A fresh session (as a new pytest run) finds every plan of this one in the cache."""
    session = [o.request for o in planner.outcomes()]
    if not session:
        pytest.skip("no plan was made in this session")
    fresh = Plans()
    outcomes = fresh.plan_many(session)
    assert fresh.planned == [], f"planned again: {fresh.planned}"
    assert all(o.cached and (o.plan or o.error) for o in outcomes)
    # refused plans (invalid inputs) are cached with their diagnostics, not re-planned
    before = {o.request: o.error for o in planner.outcomes()}
    assert {o.request: o.error for o in outcomes} == before


@pytest.mark.slow
def test_reference_folder_is_left_untouched(planner):
    """Planning (done at session start) added no working file to reference/."""
    after = generated_files(REFERENCE)
    assert after <= planner.reference_files_before, (
        f"new in {REFERENCE}: {after - planner.reference_files_before}"
    )
    assert REFERENCE not in cache_dir().parents
