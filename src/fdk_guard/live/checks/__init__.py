"""Live checks: small pure functions over a Snapshot, one per file, each tied to a control.

A check yields Verdicts; `run_all` turns them into Findings with engine "live". A check
that finds nothing to judge fails (the deployment lacks what the catalogue promises),
unless it is marked `optional` (bastion, CloudFront, OIDC role), which gives
`not_applicable`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from fdk_guard import catalogue
from fdk_guard.findings import Finding


class Verdict(NamedTuple):
    status: str  # pass | fail | not_applicable
    resource: str
    message: str


def ok(resource: str, message: str) -> Verdict:
    return Verdict("pass", resource, message)


def bad(resource: str, message: str) -> Verdict:
    return Verdict("fail", resource, message)


def judge(good: bool, resource: str, if_good: str, if_bad: str) -> Verdict:
    return ok(resource, if_good) if good else bad(resource, if_bad)


@dataclass(frozen=True)
class LiveCheck:
    name: str
    control: str
    severity: str
    title: str
    optional: bool
    func: Callable[..., Iterable[Verdict]]

    def run(self, snap) -> list[Finding]:
        verdicts = list(self.func(snap))
        if not verdicts:
            status = "not_applicable" if self.optional else "fail"
            verdicts = [Verdict(status, "-", f"{self.name}: nothing in the account to judge")]
        return [
            Finding(self.control, v.status, "live", v.resource, f"{self.name}: {v.message}")
            for v in verdicts
        ]


REGISTRY: dict[str, LiveCheck] = {}


def check(control: str, title: str, *, optional: bool = False):
    """Register a live check for `control`; severity comes from the catalogue."""

    def register(func):
        ctl = catalogue.load().get(control)
        if ctl is None:
            raise ValueError(f"live check {func.__name__}: unknown control {control}")
        known = REGISTRY.get(func.__name__)
        if known is not None and known.func.__module__ != func.__module__:
            raise ValueError(f"two live checks are named {func.__name__}")
        REGISTRY[func.__name__] = LiveCheck(
            func.__name__, control, ctl.severity, title, optional, func
        )
        return func

    return register


def all_checks() -> list[LiveCheck]:
    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")
    return sorted(REGISTRY.values(), key=lambda c: (c.control, c.name))


def run_all(snap, only: Iterable[str] = ()) -> list[Finding]:
    wanted = set(only)
    findings: list[Finding] = []
    for live in all_checks():
        if not wanted or live.control in wanted or live.name in wanted:
            findings.extend(live.run(snap))
    return findings
