"""Small plans written by hand, for checks that must run in milliseconds (no Terraform).

    plan_from({"aws_s3_bucket.b[0]": {"bucket": "b"}}, variables={"dns_name": "x.org"})

A resource's values are its planned values; UNKNOWN (the string "(unknown)") marks a value
known only after apply, which goes into `after_unknown` the way Terraform writes it. The
configuration, when a case needs it to follow unknown values, is HCL text handed to
PlanGraph as sources ({module key: {file: text}}).
"""

from __future__ import annotations

import json
import re
from typing import Any

from fdk_guard.plangraph import OFFLINE_ACCESS_KEY

UNKNOWN = "(unknown)"
# Planned values may carry "_actions" (default ["create"]), "_before" (the prior values)
# and "_replace_paths": a resource deleted by the plan is in resource_changes only.
_ADDRESS = re.compile(
    r"^(?P<module>(?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)*)"
    r"(?P<data>data\.)?(?P<type>[a-z0-9_]+)\.(?P<name>[A-Za-z0-9_-]+)(?P<index>\[[^\]]*\])?$"
)


def _split(value: Any) -> tuple[Any, Any]:
    """(planned value without unknowns, after_unknown mask)."""
    if value == UNKNOWN:
        return None, True
    if isinstance(value, dict):
        planned, mask = {}, {}
        for k, v in value.items():
            p, m = _split(v)
            if m is True:
                mask[k] = True
            else:
                planned[k] = p
                if m:
                    mask[k] = m
        return planned, mask
    if isinstance(value, list):
        pairs = [_split(v) for v in value]
        if not any(m for _, m in pairs):
            return [p for p, _ in pairs], []
        return [p for p, _ in pairs], [m if m else False for _, m in pairs]
    return value, False


def plan_from(
    resources: dict[str, dict],
    variables: dict | None = None,
    *,
    offline: bool = False,
    references: dict[str, dict[str, list[str]]] | None = None,
) -> dict:
    """A plan of `resources`; `offline`: made with the gate's offline switch (fake keys),
    so that its data sources were answered by the empty local emulator; `references`:
    {root resource address: {attribute: [what its expression references]}}, as the plan's
    configuration lists them."""
    modules: dict[str, list] = {}
    changes = []
    for address, values in resources.items():
        m = _ADDRESS.match(address)
        if not m:
            raise ValueError(f"not a resource address: {address}")
        module = m["module"].rstrip(".")
        values = dict(values or {})
        actions = values.pop("_actions", ["create"])
        before = values.pop("_before", None)
        replace_paths = values.pop("_replace_paths", None)
        if not m["data"] and "create" in actions:  # created: ID and ARN known after apply
            values.setdefault("id", UNKNOWN)
            values.setdefault("arn", UNKNOWN)
        planned, mask = _split(values)
        index = json.loads(m["index"][1:-1]) if m["index"] else None
        entry = {
            "address": address,
            "mode": "data" if m["data"] else "managed",
            "type": m["type"],
            "name": m["name"],
            "values": planned,
        }
        if index is not None:
            entry["index"] = index
        if actions != ["delete"]:
            modules.setdefault(module, []).append(entry)
        change = {
            "address": address,
            "mode": entry["mode"],
            "type": m["type"],
            "name": m["name"],
            "change": {
                "actions": actions,
                "before": before,
                "after": None if actions == ["delete"] else planned,
                "after_unknown": mask or {},
            },
        }
        if replace_paths:
            change["change"]["replace_paths"] = replace_paths
            change["action_reason"] = "replace_because_cannot_update"
        changes.append(change)
    root = {"resources": modules.pop("", [])}
    root["child_modules"] = [
        {"address": addr, "resources": res} for addr, res in sorted(modules.items())
    ]
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "variables": {k: {"value": v} for k, v in (variables or {}).items()},
        "planned_values": {"root_module": root},
        "resource_changes": changes,
        "configuration": {
            "root_module": {"resources": _configured(references or {})},
            "provider_config": _providers(offline),
        },
    }


def _providers(offline: bool) -> dict:
    if not offline:
        return {}
    key = {"constant_value": OFFLINE_ACCESS_KEY}
    return {"aws": {"name": "aws", "expressions": {"access_key": key}}}


def _configured(references: dict[str, dict[str, list[str]]]) -> list[dict]:
    out = []
    for address, attrs in references.items():
        m = _ADDRESS.match(address)
        if not m or m["module"]:
            raise ValueError(f"references: not a root resource address: {address}")
        out.append(
            {
                "address": address,
                "mode": "data" if m["data"] else "managed",
                "type": m["type"],
                "name": m["name"],
                "expressions": {a: {"references": refs} for a, refs in attrs.items()},
            }
        )
    return out
