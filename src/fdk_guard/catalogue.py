"""The control catalogue (policies/catalogue.yaml), loaded once."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from fdk_guard.data import ROOT as REPO_ROOT  # engines/ and plangraph/ import it from here
from fdk_guard.errors import GuardError

CATALOGUE_PATH = Path(os.environ.get("FDK_CATALOGUE", REPO_ROOT / "policies" / "catalogue.yaml"))
SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class Control:
    id: str
    area: str
    severity: str
    title: str
    seed: tuple[str, ...] = ()
    fsbp: tuple[str, ...] = ()
    engines: tuple[str, ...] = ()
    e2e_only: str | None = None
    # engine -> which part of the promise it checks; an engine absent here checks all of it
    partial: dict = field(default_factory=dict, hash=False, compare=False)
    # the control's parameters (ports, days, policy names...): every engine reads them here
    params: dict = field(default_factory=dict, hash=False, compare=False)
    # what to change, in Terraform (Markdown)
    remediation: str = ""
    notes: dict = field(default_factory=dict, hash=False, compare=False)


@functools.cache
def load(path: Path = CATALOGUE_PATH) -> dict[str, Control]:
    try:
        # libyaml when built in: the pure-Python loader takes a quarter second here
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(Path(path).read_text(), Loader=loader)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError) as err:
        raise GuardError(f"cannot read the control catalogue {path}: {err}") from None
    controls: dict[str, Control] = {}
    known = {f for f in Control.__dataclass_fields__ if f != "notes"}
    for entry in data.get("controls", []):
        extra = {k: v for k, v in entry.items() if k not in known}
        ctl = Control(
            id=entry["id"],
            area=entry["area"],
            severity=entry["severity"],
            title=entry["title"],
            seed=tuple(entry.get("seed") or ()),
            fsbp=tuple(entry.get("fsbp") or ()),
            engines=tuple(entry.get("engines") or ()),
            e2e_only=entry.get("e2e_only"),
            partial=dict(entry.get("partial") or {}),
            params=dict(entry.get("params") or {}),
            remediation=str(entry.get("remediation") or "").strip(),
            notes=extra,
        )
        if ctl.severity not in SEVERITIES:
            raise GuardError(f"catalogue: {ctl.id} has unknown severity {ctl.severity!r}")
        controls[ctl.id] = ctl
    return controls


def partial_engines() -> dict[str, tuple[str, ...]]:
    """control id -> the engines that check only part of its promise."""
    return {cid: tuple(c.partial) for cid, c in load().items()}


def params(control_id: str) -> dict:
    """The parameters of one control (KeyError for an unknown control)."""
    return load()[control_id].params
