"""The local deployment's apply: once more after the emulator's answer to a retried call,
never after a real error."""

from __future__ import annotations

import pytest

from fdk_guard.errors import GuardError
from fdk_guard.local.terraform import LocalRoot


def _root(failures: list[str]) -> tuple[LocalRoot, list[str]]:
    root = LocalRoot.__new__(LocalRoot)  # no copy, no terraform: only apply() is exercised
    root.tfvars, calls = None, []

    def run(args, what, **kwargs):
        calls.append(what)
        if failures:
            raise GuardError(f"{what} failed: {failures.pop(0)}")

    root._run = run
    return root, calls


def test_a_duplicate_the_emulator_answered_to_a_retried_call_is_applied_once_more() -> None:
    root, calls = _root(["authorizing Security Group (ingress) rules: InvalidPermission.Duplicate"])
    root.apply()
    assert calls == ["terraform apply (local)", "terraform apply (local, once more)"]


def test_any_other_failure_is_not_retried() -> None:
    root, calls = _root(["Unsupported argument"])
    with pytest.raises(GuardError, match="Unsupported argument"):
        root.apply()
    assert calls == ["terraform apply (local)"]


def test_a_second_failure_is_the_error() -> None:
    root, calls = _root(["InvalidPermission.Duplicate", "InvalidPermission.Duplicate"])
    with pytest.raises(GuardError, match="once more"):
        root.apply()
    assert len(calls) == 2
