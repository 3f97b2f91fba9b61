"""Base of the FDK checkov checks: one control, one resource, unknowns kept unknown.

checkov wraps every value in a list, writes references ("aws_subnet.private[0].id",
"${var.x}") where a value is unknown, and, on a plan with EVAL_TF_PLAN_AFTER_UNKNOWN set,
writes "true_after_unknown". A check that meets one of those cannot decide: it returns
SKIPPED with a "deferred:" detail, which the engine reports as `deferred`, never as pass.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

import yaml

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

_REF = re.compile(
    r"^\$\{|^(module|var|local|data|each|count|self)\.|^aws_[a-z0-9_]+\.[A-Za-z0-9_-]+(\[|\.|$)"
)
DEFERRED = "deferred: "
CATALOGUE = Path(
    os.environ.get("FDK_CATALOGUE") or Path(__file__).resolve().parent.parent / "catalogue.yaml"
)


@functools.cache
def _catalogue() -> dict:
    # libyaml when built in: the pure-Python loader costs a quarter second of every scan
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(CATALOGUE.read_text(), Loader=loader)  # noqa: S506 (a safe loader)
    return {c["id"]: c for c in data["controls"]}


def params(control: str) -> dict:
    """A control's parameters, from the catalogue every engine reads."""
    return _catalogue()[control].get("params") or {}


class Unknown(Exception):
    """The value is not known before apply."""


def unknown(value: Any) -> bool:
    if isinstance(value, str):
        return value == "true_after_unknown" or bool(_REF.search(value)) or "${" in value
    return False


def get(conf: dict, *path: str | int, default: Any = None) -> Any:
    """The value at `path`, unwrapping checkov's one-element lists; Unknown if unknown."""
    node: Any = conf
    for step in path:
        while isinstance(node, list) and len(node) == 1 and isinstance(step, str):
            node = node[0]
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return default
            node = node[step]
        elif isinstance(node, dict):
            if step not in node:
                return default
            node = node[step]
        elif unknown(node):
            raise Unknown(".".join(map(str, path)))
        else:
            return default
    while isinstance(node, list) and len(node) == 1 and not isinstance(node[0], (dict, list)):
        node = node[0]
    if unknown(node):
        raise Unknown(".".join(map(str, path)))
    return node


def items(conf: dict, *path: str | int) -> list:
    """A list attribute (list of strings or of blocks), each item checked for unknowns."""
    value = get(conf, *path, default=[])
    if not isinstance(value, list):
        value = [value]
    if len(value) == 1 and isinstance(value[0], list):
        value = value[0]
    for v in value:
        if unknown(v):
            raise Unknown(".".join(map(str, path)))
    return value


class FdkCheck(BaseResourceCheck):
    CONTROL = ""
    NAME = ""
    TYPES: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__(
            name=self.NAME,
            id=self.CONTROL,
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=list(self.TYPES),
        )

    def problems(self, conf: dict) -> list[str] | None:
        """What breaks the control (empty: pass; None: the rule does not apply)."""
        raise NotImplementedError

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        try:
            found = self.problems(conf)
        except Unknown as err:
            self.details.append(f"{DEFERRED}{err} unknown until apply")
            return CheckResult.SKIPPED
        if found is None:
            self.details.append("not applicable")
            return CheckResult.SKIPPED
        if found:
            self.details.extend(found)
            return CheckResult.FAILED
        return CheckResult.PASSED
