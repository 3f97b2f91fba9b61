"""The benchmarks the README's "Speed" tables come from still start: they import package
internals (the planner's copy and init helpers, the engines), which a refactor can rename.
They are run by hand (minutes each, on a quiet machine), not here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*.py")))
def test_the_benchmark_starts_and_explains_itself(script: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("usage:") and script in done.stdout


def test_every_benchmark_is_in_the_readme() -> None:
    readme = (BENCH.parent / "README.md").read_text()
    for script in BENCH.glob("*.py"):
        assert f"bench/{script.name}" in readme, script.name
