"""How long the suite's own proof takes, cold and warm (issue "simplicity", speed aims).

Runs `nox -R -s test` twice in one go, with the virtualenvs already built (`-R`):
  cold  an empty cache folder (FDK_CACHE_DIR): every root is planned and judged;
  warm  the same folder again, nothing changed: plans and judged rows come from the cache.
The diagram's browser test needs mermaid.js, which lives in the cache folder; it is copied
into the empty one first, as it is an install rather than a result. Run from the
repository root after `nox -s test` has built its virtualenv once:

    python bench/suite.py [--warm-only] [-- pytest arguments]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AIM_COLD_S, AIM_WARM_S = 12 * 60, 90


def run(name: str, cache: Path, pytest_args: list[str]) -> tuple[float, int, str]:
    """Seconds for one `nox -R -s test`, its exit code and pytest's last summary line."""
    env = dict(os.environ, FDK_CACHE_DIR=str(cache))
    started = time.monotonic()
    posargs = ["--", *pytest_args] if pytest_args else []
    done = subprocess.run(
        [sys.executable, "-m", "nox", "-R", "-s", "test", *posargs],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.monotonic() - started
    log = done.stdout + done.stderr
    kept = Path(tempfile.gettempdir()) / f"fdk-bench-suite-{name}.log"
    kept.write_text(log)  # kept after the run, for a look at what failed
    summary = [ln for ln in log.splitlines() if re.search(r"=+ .*(passed|failed).* in ", ln)]
    return elapsed, done.returncode, (summary[-1].strip("= ") if summary else log[-400:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warm-only", action="store_true", help="reuse ./.fdk-cache")
    # none: the session's own arguments (its pytest-xdist workers included)
    parser.add_argument("pytest_args", nargs="*", default=[])
    args = parser.parse_args()
    mermaid = REPO / ".fdk-cache" / "mermaid"
    results = []
    with tempfile.TemporaryDirectory(prefix="fdk-bench-suite-") as tmp:
        cache = REPO / ".fdk-cache" if args.warm_only else Path(tmp) / "cache"
        if not args.warm_only:
            cache.mkdir(mode=0o700)
            if mermaid.is_dir():
                shutil.copytree(mermaid, cache / "mermaid", symlinks=True)
            results.append(("cold", AIM_COLD_S, *run("cold", cache, args.pytest_args)))
        results.append(("warm", AIM_WARM_S, *run("warm", cache, args.pytest_args)))
    worst = 0
    for name, aim, seconds, code, summary in results:
        met = "met" if seconds <= aim else "NOT met"
        print(f"{name}: {seconds:7.1f} s  (aim <= {aim} s: {met})  exit {code}  [{summary}]")
        if code:
            print(f"  log: {Path(tempfile.gettempdir()) / f'fdk-bench-suite-{name}.log'}")
        worst = max(worst, code)
    return 0 if worst == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
