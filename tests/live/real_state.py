"""Make saved plans of changes against real state: the reference applied to moto on loopback
(as the local deployment does it), then each change planned against that state.

    python -m tests.live.real_state OUT_DIR NAME=-var=x=y [NAME=...]

Run as a process of its own: moto's backends are process-wide, and the in-process mocks of
the other live tests (tests/live/conftest.py) must not share them. The state goes with the
emulator when the process ends: nothing to destroy.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fdk_guard.local import emulator
from fdk_guard.local import terraform as local_tf

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "reference"
TFVARS = REFERENCE / "examples" / "minimal.tfvars"


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    changes = dict(arg.split("=", 1) for arg in argv[1:])
    with emulator.moto_server() as endpoint:
        root = local_tf.LocalRoot(REFERENCE, TFVARS, out / "root", endpoint)
        root.init()
        root.apply()
        for name, args in changes.items():
            root.plan_change(out / f"{name}.tfplan", *args.split())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
