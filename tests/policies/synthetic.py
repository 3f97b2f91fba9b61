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

UNKNOWN = "(unknown)"
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


def plan_from(resources: dict[str, dict], variables: dict | None = None) -> dict:
    modules: dict[str, list] = {}
    changes = []
    for address, values in resources.items():
        m = _ADDRESS.match(address)
        if not m:
            raise ValueError(f"not a resource address: {address}")
        module = m["module"].rstrip(".")
        values = dict(values or {})
        if not m["data"]:  # created now: their ID and ARN are known only after apply
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
        modules.setdefault(module, []).append(entry)
        changes.append(
            {
                "address": address,
                "mode": entry["mode"],
                "type": m["type"],
                "name": m["name"],
                "change": {"actions": ["create"], "after": planned, "after_unknown": mask or {}},
            }
        )
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
        "configuration": {"root_module": {}},
    }
