"""Synthetic plan JSON, shaped as `terraform show -json` writes it, for the agreement tests.

A `Res` is one resource instance at the root: its planned values, which of them are unknown
until apply (`unknown`, as `after_unknown`), and which the configuration sets through a
reference (`refs`, as the configuration's `references`). Every engine reads the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Res:
    type: str
    name: str
    values: dict
    unknown: dict = field(default_factory=dict)
    refs: dict = field(default_factory=dict)  # attribute -> references it is set from

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"


def _expression(value: Any) -> Any:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [{k: _expression(v) for k, v in item.items()} for item in value]  # blocks
    return {"constant_value": value}


def _config(res: Res) -> dict:
    expressions = {k: _expression(v) for k, v in res.values.items() if v is not None}
    for attr, refs in res.refs.items():
        expressions[attr] = {"references": list(refs)}
    return {
        "address": res.address,
        "mode": "managed",
        "type": res.type,
        "name": res.name,
        "provider_config_key": "aws",
        "expressions": expressions,
        "schema_version": 0,
    }


def plan(resources: list[Res]) -> dict:
    """A plan creating `resources` at the root."""
    planned, changes = [], []
    for res in resources:
        base = {
            "address": res.address,
            "mode": "managed",
            "type": res.type,
            "name": res.name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
        }
        planned.append({**base, "schema_version": 0, "values": res.values, "sensitive_values": {}})
        changes.append(
            {
                **base,
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": res.values,
                    "after_unknown": res.unknown,
                    "before_sensitive": False,
                    "after_sensitive": {},
                },
            }
        )
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "variables": {},
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "full_name": "hashicorp/aws"}},
            "root_module": {"resources": [_config(r) for r in resources]},
        },
    }
