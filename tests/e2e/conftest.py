"""Fixtures for the post-deploy probes: `target` and `check` (fdk_guard.e2e.plugin)."""

from fdk_guard.e2e.plugin import check, target  # noqa: F401 (pytest fixtures)
