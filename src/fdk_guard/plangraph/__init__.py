"""The plan graph: every resource of a plan JSON by address, what is unknown until apply,
and what each attribute references (from the plan's `configuration` section).

Policies match resources by type and attributes, never by address: the address is only
what a finding names. References are followed through module inputs and outputs and
`for_each`/`each.value`; a reference through a `local` cannot be followed (the plan does not
keep locals' expressions), so a check that needs it gets `None` and reports `deferred`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fdk_guard.errors import GuardError

__all__ = ["UNKNOWN", "PlanGraph", "Resource", "load", "is_unknown"]


class _Unknown:
    """A value Terraform only learns at apply time."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "(known after apply)"

    def __bool__(self) -> bool:  # never let an unknown look like a decided value
        raise TypeError("an unknown plan value has no truth value; test is_unknown() first")


UNKNOWN: Any = _Unknown()


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


_REF = re.compile(r"^(?P<type>[a-z][a-z0-9_]*)\.(?P<name>[A-Za-z0-9_-]+)(?P<index>\[[^\]]*\])?")


@dataclass
class Resource:
    address: str
    mode: str  # managed | data
    type: str
    name: str
    index: Any
    module: str  # module instance address ("" for the root), e.g. module.vpc or module.x["a"]
    values: dict
    unknown: dict
    sensitive: dict
    config: dict = field(default_factory=dict)  # the block of `configuration` for this resource

    @property
    def config_module(self) -> str:
        """The module path without instance keys, e.g. module.vpc."""
        return re.sub(r"\[[^\]]*\]", "", self.module)

    def get(self, *path: str | int, default: Any = None) -> Any:
        """The planned value at `path`, UNKNOWN if unknown until apply, `default` if absent."""
        value, unknown = self.values, self.unknown
        for step in path:
            if unknown is True:
                return UNKNOWN
            unknown = _step(unknown, step)
            nxt = _step(value, step)
            if nxt is None:
                return UNKNOWN if unknown is True else default
            value = nxt
        if unknown is True:
            return UNKNOWN
        return value

    def known(self, *path: str | int, default: Any = None) -> Any:
        """The planned value at `path`, or `default` when absent, null or unknown."""
        value = self.get(*path, default=default)
        return default if is_unknown(value) or value is None else value

    def block(self, name: str) -> list[dict]:
        """Nested blocks `name` as a list of (known) dicts; empty when absent."""
        got = self.get(name, default=[])
        if is_unknown(got):
            return []
        return got if isinstance(got, list) else [got]

    def has_unknown(self, *path: str | int) -> bool:
        """True if anything at or under `path` is unknown until apply."""
        unknown = self.unknown
        for step in path:
            if unknown is True:
                return True
            unknown = _step(unknown, step)
        return _any_true(unknown)

    def expression(self, *path: str | int) -> dict | None:
        """The configuration expression at `path` (blocks are lists of dicts)."""
        node: Any = self.config.get("expressions", {})
        for step in path:
            node = _step(node, step)
            if node is None:
                return None
        return node if isinstance(node, dict) else None

    def is_sensitive(self, *path: str | int) -> bool:
        node: Any = self.sensitive
        for step in path:
            if node is True:
                return True
            node = _step(node, step)
        return _any_true(node)


def _step(node: Any, step: str | int) -> Any:
    if isinstance(node, dict) and isinstance(step, str):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int):
        return node[step] if -len(node) <= step < len(node) else None
    return None


def _any_true(node: Any) -> bool:
    if node is True:
        return True
    if isinstance(node, dict):
        return any(_any_true(v) for v in node.values())
    if isinstance(node, list):
        return any(_any_true(v) for v in node)
    return False


class PlanGraph:
    """Resources of one plan, by address, with reference resolution."""

    def __init__(self, plan: dict):
        if not isinstance(plan, dict) or "planned_values" not in plan:
            raise GuardError("not a Terraform plan JSON (no planned_values)")
        self.plan = plan
        self.resources: dict[str, Resource] = {}
        changes = {c["address"]: c.get("change", {}) for c in plan.get("resource_changes", [])}
        configs = _config_index(plan.get("configuration", {}).get("root_module", {}), "")
        self._module_calls = _module_call_index(
            plan.get("configuration", {}).get("root_module", {}), ""
        )
        self._walk(plan["planned_values"].get("root_module", {}), changes, configs)
        # data sources read during plan live in prior_state, not planned_values
        prior = (plan.get("prior_state") or {}).get("values", {}).get("root_module", {})
        self._walk(prior, changes, configs, only_missing=True)
        self.variables = {
            k: v.get("value") for k, v in (plan.get("variables") or {}).items() if "value" in v
        }
        root_vars = plan.get("configuration", {}).get("root_module", {}).get("variables", {})
        self.sensitive_variables = {k for k, v in root_vars.items() if v.get("sensitive")}

    def _walk(self, module: dict, changes: dict, configs: dict, only_missing=False) -> None:
        for raw in module.get("resources", []):
            address = raw["address"]
            if only_missing and address in self.resources:
                continue
            change = changes.get(address, {})
            if change.get("actions") == ["delete"]:
                continue
            mod = raw.get("module_address") or module.get("address", "") or ""
            res = Resource(
                address=address,
                mode=raw.get("mode", "managed"),
                type=raw["type"],
                name=raw["name"],
                index=raw.get("index"),
                module=mod,
                values=raw.get("values") or {},
                unknown=change.get("after_unknown") or {},
                sensitive=raw.get("sensitive_values") or change.get("after_sensitive") or {},
            )
            key = _config_key(res.config_module, res.mode, res.type, res.name)
            res.config = configs.get(key, {})
            self.resources[address] = res
        for child in module.get("child_modules", []):
            self._walk(child, changes, configs, only_missing)

    # -- queries -------------------------------------------------------------------------

    def of_type(self, *types: str, mode: str = "managed") -> list[Resource]:
        return [r for r in self.resources.values() if r.type in types and r.mode == mode]

    def data(self, *types: str) -> list[Resource]:
        return self.of_type(*types, mode="data")

    def var(self, name: str, default: Any = None) -> Any:
        """A root variable's value (never a sensitive one)."""
        if name in self.sensitive_variables:
            return default
        return self.variables.get(name, default)

    # -- references ----------------------------------------------------------------------

    def refs(self, res: Resource, *path: str | int) -> set[str] | None:
        """Addresses of the resources the expression at `path` refers to.

        None when the expression cannot be followed (through a local, or absent), so the
        caller can tell "refers to nothing" (empty set, e.g. a constant) from "cannot tell".
        """
        expr = res.expression(*path)
        if expr is None:
            return None
        if "references" not in expr:
            return set() if "constant_value" in expr else None
        return self._resolve(res.module, expr["references"], res)

    def ref_resources(self, res: Resource, *path: str | int) -> list[Resource] | None:
        addrs = self.refs(res, *path)
        if addrs is None:
            return None
        return [self.resources[a] for a in sorted(addrs) if a in self.resources]

    def _resolve(self, module: str, refs: list[str], res: Resource | None, depth=0) -> set | None:
        if depth > 12:
            return None
        found: set[str] = set()
        through_local = False
        # "aws_x.y[0].id" is listed as "aws_x.y[0].id", "aws_x.y[0]" and "aws_x.y": a literal
        # index narrows the base to that instance; a computed index keeps every instance.
        bases: dict[tuple[str, str, str], set[str]] = {}
        for ref in refs:
            head = ref.split(".")[0]
            if head in ("count", "path", "terraform", "self"):
                continue
            if head == "each":
                if res is None:
                    return None
                fe = res.config.get("for_each_expression") or {}
                if "references" not in fe:
                    continue
                got = self._resolve(module, fe["references"], None, depth + 1)
                if got is None:
                    return None
                found |= got
                continue
            if head == "local":
                through_local = True
                continue
            if head == "var":
                got = self._resolve_var(module, ref.split(".")[1].split("[")[0], depth)
                if got is None:
                    return None
                found |= got
                continue
            if head == "module":
                parts = ref.split(".")
                if len(parts) < 3:
                    continue  # "module.x" alone comes with "module.x.output"
                got = self._resolve_output(module, parts[1].split("[")[0], parts[2], depth)
                if got is None:
                    return None
                found |= got
                continue
            mode, rest = ("data", ref[5:]) if head == "data" else ("managed", ref)
            m = _REF.match(rest)
            if not m:
                continue
            idx = bases.setdefault((mode, m["type"], m["name"]), set())
            if m["index"] and not re.search(r"[A-Za-z_]\.", m["index"]):
                idx.add(m["index"])
        for (mode, type_, name), idx in bases.items():
            for r in self.resources.values():
                if (r.mode, r.type, r.name, r.module) != (mode, type_, name, module):
                    continue
                if idx and _index_str(r.index) not in idx:
                    continue
                found.add(r.address)
        if through_local and not found:
            return None  # the plan keeps no expression for locals: cannot follow
        # A local beside resolved references is taken to be a condition
        # (`local.enabled ? module.x[0].arn : null`), the common case in modules.
        return found

    def _resolve_var(self, module: str, var: str, depth: int) -> set | None:
        if not module:
            return set()  # root variables are inputs, not resources
        parent, call = _split_module(module)
        call_cfg = self._module_calls.get((re.sub(r"\[[^\]]*\]", "", parent), call), {})
        expr = call_cfg.get("expressions", {}).get(var)
        if expr is None:
            return set()  # the module's default
        if "references" not in expr:
            return set() if "constant_value" in expr else None
        return self._resolve(parent, expr["references"], None, depth + 1)

    def _resolve_output(self, module: str, call: str, output: str, depth: int) -> set | None:
        call_cfg = self._module_calls.get((re.sub(r"\[[^\]]*\]", "", module), call))
        if call_cfg is None:
            return None
        out = call_cfg.get("module", {}).get("outputs", {}).get(output.split("[")[0])
        if out is None:
            return None
        refs = out.get("expression", {}).get("references")
        if refs is None:
            return set()
        prefix = f"{module}.module.{call}" if module else f"module.{call}"
        instances = {
            r.module
            for r in self.resources.values()
            if r.module == prefix
            or r.module.startswith(prefix + "[")
            or r.module.startswith(prefix + ".")
        }
        instances = {i for i in instances if re.fullmatch(re.escape(prefix) + r"(\[[^\]]*\])?", i)}
        found: set[str] = set()
        for inst in instances or {prefix}:
            got = self._resolve(inst, refs, None, depth + 1)
            if got is None:
                return None
            found |= got
        return found


def _index_str(index: Any) -> str | None:
    if index is None:
        return None
    return f"[{json.dumps(index)}]"


def _split_module(module: str) -> tuple[str, str]:
    """module.a.module.b["k"] -> (module.a, b)."""
    head, _, last = module.rpartition("module.")
    return head.rstrip("."), last.split("[")[0]


def _config_key(module: str, mode: str, type_: str, name: str) -> str:
    prefix = "data." if mode == "data" else ""
    return f"{module + '.' if module else ''}{prefix}{type_}.{name}"


def _config_index(module_cfg: dict, path: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for res in module_cfg.get("resources", []):
        out[f"{path + '.' if path else ''}{res['address']}"] = res
    for name, call in module_cfg.get("module_calls", {}).items():
        child = f"{path + '.' if path else ''}module.{name}"
        out.update(_config_index(call.get("module", {}), child))
    return out


def _module_call_index(module_cfg: dict, path: str) -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    for name, call in module_cfg.get("module_calls", {}).items():
        out[(path, name)] = call
        child = f"{path + '.' if path else ''}module.{name}"
        out.update(_module_call_index(call.get("module", {}), child))
    return out


def load(plan_path: Path | None = None, plan: dict | None = None) -> PlanGraph:
    if plan is None:
        try:
            plan = json.loads(Path(plan_path).read_text())  # type: ignore[arg-type]
        except (OSError, ValueError) as err:
            raise GuardError(f"cannot read plan JSON {plan_path}: {err}") from None
    return PlanGraph(plan)
