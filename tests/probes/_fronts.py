"""Helpers for the suite's own probe tests: a Target for a running front."""

from __future__ import annotations

from fdk_guard.e2e.target import Target, from_env
from fdk_guard.front import Front


def target_for(front: Front, deadline: float = 3.0, **env: str) -> Target:
    return from_env({**front.env(), "FDK_E2E_DEADLINE": str(deadline), **env}, origin="test")
