"""How much the gate costs over terraform itself (issue 3, "Speed").

Times, in one run and on the same root:
  floor  `terraform init` + `plan` + `show -json` in a fresh copy (offline switch included:
         the plan cannot run here without it), the least any plan-time gate must spend;
  gate   `nox -R -s lint plan` (virtualenvs already built, `-R` reuses them), with an empty
         plan cache so the gate plans for real;
and prints both and their ratio, for `--repeat` pairs (default 3, the median ratio last:
the machines are shared and one pair is noisy). Run from the repository root:

    python bench/gate.py [--root reference] [--tfvars reference/examples/demo.tfvars] [--repeat 3]

Without --tfvars: the root's examples/demo.tfvars, else its only *.tfvars.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOX_LOG = Path(tempfile.gettempdir()) / "fdk-bench-nox.log"
sys.path.insert(0, str(REPO / "src"))

from fdk_guard.terraform import binary  # noqa: E402
from fdk_guard.terraform import plan as tf_plan  # noqa: E402


def floor(root: Path, tfvars: Path | None, scratch: Path) -> float:
    """Seconds for bare init + plan + show -json of `root` in a copy."""
    env = binary.tf_env()  # terraform's environment as the gate runs it
    if "TF_PLUGIN_CACHE_DIR" not in os.environ and "TF_PLUGIN_CACHE_DIR" in env:
        # downloads (no mirror) into a cold cache, as the gate's (a user's own cache is kept)
        env["TF_PLUGIN_CACHE_DIR"] = str(scratch / "plugins")
        Path(env["TF_PLUGIN_CACHE_DIR"]).mkdir(parents=True)
    copy_root = tf_plan.prepare_copy(root, scratch / "floor", offline=True)
    exe = binary.find_binary()
    var_file = [f"-var-file={tfvars}"] if tfvars else []
    started = time.monotonic()
    for args in (
        tf_plan.init_args(),
        ["plan", "-input=false", "-no-color", "-lock=false", "-out=b.tfplan", *var_file],
        ["show", "-json", "b.tfplan"],
    ):
        done = subprocess.run([exe, *args], cwd=copy_root, env=env, capture_output=True, text=True)
        if done.returncode:
            why = binary.first_error(done.stderr or done.stdout)  # as the gate says it
            print(f"bench/gate.py: terraform {args[0]} failed on {root}: {why}", file=sys.stderr)
            raise SystemExit(2)  # the floor cannot run: no ratio, as the gate's exit 2
    return time.monotonic() - started


def gate(root: Path, tfvars: Path | None, scratch: Path) -> tuple[float, int]:
    """Seconds for `nox -R -s lint plan` with a cold plan cache, and its exit code."""
    env = dict(os.environ)
    env.update(
        {
            "FDK_TF_DIR": str(root),
            "FDK_TF_VARS": str(tfvars or ""),
            "FDK_CACHE_DIR": str(scratch / "gate-cache"),
            "FDK_REPORTS": str(scratch / "reports"),
        }
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "nox", "-R", "-s", "lint", "plan"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.monotonic() - started
    (scratch / "nox.log").write_text(done.stdout + done.stderr)
    NOX_LOG.write_text(done.stdout + done.stderr)  # kept after the run, for a look
    return elapsed, done.returncode


def default_tfvars(root: Path) -> Path | None:
    """examples/demo.tfvars (the reference's), else the root's only *.tfvars."""
    demo = root / "examples" / "demo.tfvars"
    if demo.is_file():
        return demo
    found = sorted(root.glob("*.tfvars"))
    return found[0] if len(found) == 1 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=REPO / "reference")
    parser.add_argument("--tfvars", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--repeat", type=int, default=3, help="pairs of runs (median ratio)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.tfvars is not None and not args.tfvars.is_file():
        parser.error(f"--tfvars {args.tfvars}: no such file")
    if not args.root.is_dir():
        parser.error(f"--root {args.root}: no such folder")
    root = args.root.resolve()
    tfvars = args.tfvars or default_tfvars(root)
    tfvars = tfvars.resolve() if tfvars and tfvars.is_file() else None
    os.environ.setdefault("FDK_TF_PLUGIN_DIR", "/opt/tf-plugins")
    if not Path(os.environ["FDK_TF_PLUGIN_DIR"]).is_dir():
        del os.environ["FDK_TF_PLUGIN_DIR"]
    runs = []
    for _ in range(args.repeat):  # floor and gate one after the other, each time afresh
        with tempfile.TemporaryDirectory(prefix="fdk-bench-") as tmp:
            scratch = Path(tmp)
            bare = floor(root, tfvars, scratch)
            whole, code = gate(root, tfvars, scratch)
            log = (scratch / "nox.log").read_text().splitlines()
        # fdk-guard's own timings of each session's work, without nox's start-up
        parts = [ln.strip() for ln in log if re.match(r"^(lint took|plan session took)", ln)]
        runs.append({"floor_s": bare, "gate_s": whole, "ratio": whole / bare, "parts": parts})
        if code not in (0, 1):
            break
        if not args.json:
            print(
                f"run {len(runs)}: floor {bare:5.1f} s, gate {whole:5.1f} s (exit {code}),"
                f" ratio {whole / bare:.2f}; inside the gate: {'; '.join(parts)}",
                flush=True,
            )
    log_tail = log[-15:]
    ratio = statistics.median(r["ratio"] for r in runs)
    if args.json:
        print(
            json.dumps(
                {
                    "floor_s": [round(r["floor_s"], 1) for r in runs],
                    "gate_s": [round(r["gate_s"], 1) for r in runs],
                    "ratio_median": round(ratio, 2),
                    "gate_exit": code,
                }
            )
        )
    else:
        print(f"ratio gate/floor, median of {len(runs)}: {ratio:.2f} (target <= 1.5)")
        print(
            f"floor: terraform init + plan + show -json; gate: nox -R -s lint plan (log: {NOX_LOG})"
        )
    if code not in (0, 1):
        print("the gate could not run; last lines of its log:", *log_tail, sep="\n  ")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
