"""The plan graph: every resource instance of a plan, its planned values, and what the
plan leaves unknown, evaluated from the configuration (fdk_guard.plangraph.evaluate).

Checks match resources by type and attributes, never by address: the address is only what
a finding names. `value(res, *path)` gives an attribute with its unknown parts followed
through variables, locals, module outputs, count/for_each and dynamic blocks; `targets()`
turns such a value into the resource instances it names, or None when it cannot tell.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fdk_guard.errors import GuardError
from fdk_guard.plangraph.values import UNKNOWN, Unknown, has_unknown, is_unknown, partial_json

__all__ = [
    "UNKNOWN",
    "PlanGraph",
    "Resource",
    "Unknown",
    "has_unknown",
    "is_unknown",
    "load",
]

# The offline switch's fake key (fdk_guard.terraform.workdir): a plan carrying it was made
# offline, and its data sources were answered by an empty local AWS emulator.
OFFLINE_ACCESS_KEY = "fdk-offline-access-key"
# Data sources that are the same offline: computed by the provider itself, or what the
# offline switch stands in for (the account, the region's zones). Any other one read offline
# looked up an emulator with nothing in it: what it "found" says nothing of the real account.
SAME_OFFLINE = frozenset(
    {
        "aws_arn",
        "aws_availability_zone",
        "aws_availability_zones",
        "aws_billing_service_account",
        "aws_caller_identity",
        "aws_cloudfront_log_delivery_canonical_user_id",
        "aws_default_tags",
        "aws_elb_service_account",
        "aws_iam_policy_document",
        "aws_partition",
        "aws_region",
        "aws_service_principal",
    }
)

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


# Attributes that name a resource when a plan shows them: most resources by id or ARN,
# S3 buckets by `bucket`, load balancers and distributions also by their DNS names (what a
# Route53 alias names), zones by `zone_id`. A plan against existing state knows them.
IDENTITY = ("id", "arn", "name", "bucket", "dns_name", "domain_name", "key_id", "zone_id")


class PlanGraph:
    """Resources of one plan, by address, with their configuration evaluated on demand.

    `sources` is {module key: {file name: text}} (fdk_guard.plangraph.modules); without it
    values the plan does not show stay unknown, as the plan's own references say.
    """

    def __init__(self, plan: dict, sources: dict[str, dict[str, str]] | None = None):
        from fdk_guard.plangraph.evaluate import Evaluator

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
        self._by_type: dict[tuple[str, str], list[Resource]] = {}
        self._bases: dict[tuple[str, str, str, str], list[Resource]] = {}
        for res in self.resources.values():
            self._by_type.setdefault((res.mode, res.type), []).append(res)
            self._bases.setdefault((res.module, res.mode, res.type, res.name), []).append(res)
        for group in self._bases.values():
            group.sort(key=lambda r: (str(type(r.index)), r.index if r.index is not None else 0))
        self._known_index: dict[str, dict[str, list[Resource]]] = {}
        # offline lookups: their values, and what is made of them, are unknown to the checks
        self.fabricated = (
            {r.address for r in self.resources.values() if r.mode == "data"}
            - {r.address for r in self.data(*SAME_OFFLINE)}
            if _made_offline(plan)
            else set()
        )
        self.sources = sources
        self.evaluator = Evaluator(self, sources or _sources_from_plan(plan))

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
        out: list[Resource] = []
        for t in types:
            out += self._by_type.get((mode, t), [])
        return out

    def data(self, *types: str) -> list[Resource]:
        return self.of_type(*types, mode="data")

    def instances(self, module: str, mode: str, type_: str, name: str) -> list[Resource]:
        """The planned instances of one resource block, in index order."""
        return self._bases.get((module, mode, type_, name), [])

    def var(self, name: str, default: Any = None) -> Any:
        """A root variable's value (never a sensitive one)."""
        if name in self.sensitive_variables:
            return default
        return self.variables.get(name, default)

    # -- values --------------------------------------------------------------------------

    def value(self, res: Resource, *path: str | int, default: Any = None) -> Any:
        """The value at `path`: planned where the plan knows it, else evaluated from the
        configuration; `Unknown` where neither can tell, `default` where it is absent."""
        if not path:
            raise ValueError("value() needs an attribute name")
        node = self.evaluator.instance_attr(res.address, str(path[0]))
        for step in path[1:]:
            if isinstance(node, Unknown):
                if node.ref:
                    node = Unknown(
                        node.deps, ref=(node.ref[0], (*node.ref[1], step)), reason=node.reason
                    )
                return node
            if isinstance(node, dict) and isinstance(step, str):
                if step not in node:
                    return default
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int):
                if not -len(node) <= step < len(node):
                    return default
                node = node[step]
            else:
                return default
        return default if node is None else node

    def configured(self, res: Resource, attr: str) -> bool:
        """Whether the configuration sets `attr` (an attribute or nested block) itself,
        rather than the provider computing it (e.g. an aws_route_table's `route` when
        routes are separate aws_route resources)."""
        found = self.evaluator.configured(res, attr)
        if found is None:
            return attr in (res.config.get("expressions") or {})
        return found

    def known_value(self, res: Resource, *path: str | int, default: Any = None) -> Any:
        value = self.value(res, *path, default=default)
        return default if is_unknown(value) else value

    def document(self, res: Resource, *path: str | int) -> Any:
        """A JSON document attribute (a policy, container definitions) as data: parsed from
        the plan's string, or the structure a `jsonencode` builds at apply; Unknown else."""
        value = self.value(res, *path)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return Unknown(reason=f"{'.'.join(map(str, path))} is not JSON")
        if isinstance(value, Unknown) and value.doc is not None:
            return value.doc
        if isinstance(value, Unknown) and value.parts is not None:
            doc = partial_json(value.parts)  # a JSON template around values known at apply
            if doc is not None:
                return doc
        if isinstance(value, dict | list):
            return value
        return value if isinstance(value, Unknown) else Unknown(reason="not a document")

    def targets(self, value: Any, *types: str) -> list[Resource] | None:
        """The instances of `types` that `value` (an ID, ARN, name, or a list of them)
        names; None when one of them cannot be followed (unknown, or not in this plan)."""
        found: list[Resource] = []
        for leaf in _leaves(value):
            if leaf is None:
                continue
            hit = self._target(leaf, types)
            if hit is None:
                return None
            if hit not in found:
                found.append(hit)
        return found

    def _target(self, leaf: Any, types: tuple[str, ...]) -> Resource | None:
        address = getattr(leaf, "address", None)
        if address is not None and not isinstance(leaf, Unknown):  # a whole resource object
            res = self.resources.get(address)
            return res if res is not None and (not types or res.type in types) else None
        if isinstance(leaf, Unknown):
            if leaf.ref is None:
                return None
            res = self.resources.get(leaf.ref[0])
            if res is not None and res.mode == "data" and res.type in types:
                return self._looked_up(res) or (res if res.type in types else None)
            if res is None or (types and res.type not in types):
                return None
            return res
        if not isinstance(leaf, str):
            return None
        for t in types:
            hits = self._known(t).get(leaf, [])
            if len(hits) == 1:
                return hits[0]
        return None

    def _looked_up(self, data: Resource) -> Resource | None:
        """The managed resource a data source looks up by a name or ID the plan knows
        (data "aws_route53_zone" { name = "example.net" } -> the zone this root creates)."""
        for attr in IDENTITY:
            v = data.values.get(attr)
            if not isinstance(v, str) or not v:
                continue
            hits = [
                r
                for r in self._known(data.type).get(v, []) + self._known(data.type).get(v + ".", [])
                if r.mode == "managed"
            ]
            if len(hits) == 1:
                return hits[0]
        return None

    def _known(self, type_: str) -> dict[str, list[Resource]]:
        if type_ not in self._known_index:
            index: dict[str, list[Resource]] = {}
            for res in self.of_type(type_) + self.data(type_):
                for attr in IDENTITY:
                    v = res.values.get(attr)
                    if isinstance(v, str) and v and res not in index.setdefault(v, []):
                        index[v].append(res)
            self._known_index[type_] = index
        return self._known_index[type_]

    # -- references (compatibility: the set of addresses a value names) ------------------

    def refs(self, res: Resource, *path: str | int) -> set[str] | None:
        """Addresses of the resources the value at `path` names; None when it cannot be
        followed, set() when it names none (a constant, null)."""
        value = self.value(res, *path)
        found: set[str] = set()
        for leaf in _leaves(value):
            if leaf is None:
                continue
            address = getattr(leaf, "address", None)
            if address is not None and not isinstance(leaf, Unknown):  # a resource object
                if address not in self.resources:
                    return None
                found.add(address)
            elif isinstance(leaf, Unknown):
                if leaf.ref is None or leaf.ref[0] not in self.resources:
                    return None
                found.add(leaf.ref[0])
            elif isinstance(leaf, str):
                hit = self._target(leaf, tuple(t for (m, t) in self._by_type))
                if hit is None:
                    return None
                found.add(hit.address)
        return found

    def ref_resources(self, res: Resource, *path: str | int) -> list[Resource] | None:
        addrs = self.refs(res, *path)
        if addrs is None:
            return None
        return [self.resources[a] for a in sorted(addrs) if a in self.resources]


def _made_offline(plan: dict) -> bool:
    providers = (plan.get("configuration") or {}).get("provider_config") or {}
    return any(
        ((cfg.get("expressions") or {}).get("access_key") or {}).get("constant_value")
        == OFFLINE_ACCESS_KEY
        for cfg in providers.values()
        if isinstance(cfg, dict)
    )


def _leaves(value: Any):
    if isinstance(value, list | tuple):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def _sources_from_plan(plan: dict) -> dict:
    """No source files: the evaluator reads the plan's `configuration` instead."""
    return {}


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
