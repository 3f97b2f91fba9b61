"""The post-deploy suite as plain Python: each probe, then each live check, on one target.

It runs from the installed package (no test tree needed). A step that crashes, or returns
no finding, gives a failing finding for its control: a verdict is never silent, and a
check that could not run never passes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from fdk_guard.e2e.net import excerpt
from fdk_guard.e2e.probes import PROBES
from fdk_guard.e2e.target import Target
from fdk_guard.findings import Finding

NO_DEPLOYMENT = "no deployment named (FDK_TF_OUTPUTS with a vpc_id, or FDK_LIVE_TAGS)"


@dataclass(frozen=True)
class Step:
    control: str
    engine: str  # probe | live
    name: str
    resource: str
    run: Callable[[], list[Finding]]

    def judge(self) -> list[Finding]:
        try:
            found = self.run()
        except Exception as err:  # any crash is a verdict on its control: fail
            why = excerpt(f"{type(err).__name__}: {err}")
            return [self._fail(f"{self.name} could not run: {why}")]
        return found or [self._fail(f"{self.name} returned no finding")]

    def _fail(self, why: str) -> Finding:
        return Finding(self.control, "fail", self.engine, self.resource, f"{self.control}: {why}")


def probe_steps(target: Target) -> list[Step]:
    """One step per probe, in PROBES order (/healthz first: it waits for a rollout)."""
    return [
        Step(control, "probe", _name(probe), target.server_url, partial(probe, target))
        for control, probe in PROBES.items()
    ]


def live_steps(env: Mapping[str, str] | None = None) -> list[Step]:
    """One step per live check on one snapshot, read now; none when no deployment is named.

    A read that fails stops the run (GuardError): a check never judges what it could not see.
    """
    from fdk_guard import live
    from fdk_guard.live import checks, scope

    named = scope.named(env)
    if named is None:
        return []
    snap = live.read_account(named, env)
    return [Step(c.control, "live", c.name, "-", partial(c.run, snap)) for c in checks.all_checks()]


def select(steps: Sequence[Step], keyword: str | None) -> list[Step]:
    """The steps whose control or name contains `keyword` (all of them without one)."""
    if not keyword:
        return list(steps)
    word = keyword.lower()
    return [s for s in steps if word in s.control.lower() or word in s.name.lower()]


def _name(probe: Callable) -> str:
    return f"{probe.__module__.rsplit('.', 1)[-1]}.{probe.__name__}"
