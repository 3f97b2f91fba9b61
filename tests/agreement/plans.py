"""Synthetic plan JSON, shaped as `terraform show -json` writes it, for the agreement tests.

A `Res` is one resource instance: its planned values, which of them are unknown until
apply (`unknown`, as `after_unknown`), which the configuration sets through a reference
(`refs`, as the configuration's `references`), and the module instance it lives in
(`module`, e.g. "module.site[0]"; one level). `calls` gives a module call's arguments
(variable -> references) and its variables' defaults. Every engine reads the same plan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Res:
    type: str
    name: str
    values: dict
    unknown: dict = field(default_factory=dict)
    refs: dict = field(default_factory=dict)  # attribute -> references it is set from
    module: str = ""  # module instance address, "" for the root
    index: Any = None  # count/for_each key of this instance

    @property
    def local(self) -> str:
        return f"{self.type}.{self.name}"

    @property
    def address(self) -> str:
        key = "" if self.index is None else f"[{json.dumps(self.index)}]"
        return f"{self.module + '.' if self.module else ''}{self.local}{key}"

    @property
    def call(self) -> str:
        """The module call's name ("site" for module.site[0])."""
        return self.module.split(".", 1)[1].split("[")[0] if self.module else ""


@dataclass
class Call:
    """A module call: the arguments it passes and the defaults of its variables."""

    arguments: dict = field(default_factory=dict)  # variable -> references
    defaults: dict = field(default_factory=dict)  # variable -> default value
    count: bool = False  # called with count (its instances are module.x[0]...)


def _expression(value: Any) -> Any:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [{k: _expression(v) for k, v in item.items()} for item in value]  # blocks
    return {"constant_value": value}


def _config(res: Res) -> dict:
    expressions = {k: _expression(v) for k, v in res.values.items() if v is not None}
    for attr, refs in res.refs.items():
        # a list of references, or a whole expression (e.g. a block of references)
        raw = not all(isinstance(r, str) for r in refs)
        expressions[attr] = refs if raw else {"references": list(refs)}
    return {
        "address": res.local,
        "mode": "managed",
        "type": res.type,
        "name": res.name,
        "provider_config_key": "aws",
        "expressions": expressions,
        "schema_version": 0,
    }


def plan(
    resources: list[Res], calls: dict[str, Call] | None = None, variables: dict | None = None
) -> dict:
    """A plan creating `resources`; `calls` describes the module calls they live in;
    `variables` gives root variables' values."""
    calls = calls or {}
    root: dict = {"resources": []}
    children: dict[str, dict] = {}
    changes = []
    for res in resources:
        base = {
            "address": res.address,
            "mode": "managed",
            "type": res.type,
            "name": res.name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
        }
        if res.index is not None:
            base["index"] = res.index
        if res.module:
            base["module_address"] = res.module
        planned = {**base, "schema_version": 0, "values": res.values, "sensitive_values": {}}
        if res.module:
            child = children.setdefault(res.module, {"address": res.module, "resources": []})
            child["resources"].append(planned)
        else:
            root["resources"].append(planned)
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
    if children:
        root["child_modules"] = list(children.values())
    config_root: dict = {"resources": [], "module_calls": {}}
    seen: set[tuple[str, str]] = set()
    for res in resources:
        if (res.call, res.local) in seen:
            continue  # one configuration block for all instances of a resource
        seen.add((res.call, res.local))
        if not res.call:
            config_root["resources"].append(_config(res))
            continue
        call = calls.get(res.call, Call())
        node = config_root["module_calls"].setdefault(
            res.call,
            {
                "source": f"./modules/{res.call}",
                "expressions": {k: {"references": v} for k, v in call.arguments.items()},
                "module": {
                    "resources": [],
                    "variables": {
                        k: ({"default": v} if v is not None else {})
                        for k, v in call.defaults.items()
                    },
                },
            },
        )
        if call.count:
            node["count_expression"] = {"constant_value": 1}
        node["module"]["resources"].append(_config(res))
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "variables": {k: {"value": v} for k, v in (variables or {}).items()},
        "planned_values": {"root_module": root},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "full_name": "hashicorp/aws"}},
            "root_module": config_root,
        },
    }
