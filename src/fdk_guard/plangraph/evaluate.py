"""Evaluate a root's configuration with the plan's values: what a plan leaves unknown.

In a plan from empty state, every ID and ARN is unknown, so a value such as an ECS
service's subnets is "(known after apply)" in the plan. Its configuration says where it
comes from: `subnets = var.subnet_ids` in a module, `subnet_ids = module.vpc.private_subnets`
at the root, `aws_subnet.private[*].id` in the VPC module. The evaluator follows that chain
the way Terraform does (variables, locals, module outputs, count.index, each.key/value,
dynamic blocks, conditionals, try(), functions) over the plan's known values, and gives
back values whose unknown leaves say exactly which instance attribute they are
(`Unknown.ref`). What it cannot follow stays an `Unknown` saying why.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fdk_guard.plangraph.functions import FUNCTIONS, tostring
from fdk_guard.plangraph.hcl import Body, HclError, parse_template
from fdk_guard.plangraph.modules import (
    ModuleConfig,
    from_plan_configuration,
    load_module,
    module_key,
    template_key,
)
from fdk_guard.plangraph.values import EvalError, Unknown, has_unknown, is_unknown

if TYPE_CHECKING:
    from fdk_guard.plangraph import PlanGraph

__all__ = ["Evaluator", "InstanceRef", "ModuleRef"]

_MISSING = object()
OFFLINE = "looked up offline, in an empty local AWS emulator: what it found is not the account's"
_REDACTED = "(sensitive value)"
MAX_DEPTH = 60


class InstanceRef:
    """A resource or data instance used as a value (`aws_subnet.a`, `each.value`)."""

    __slots__ = ("address", "ev")

    def __init__(self, address: str, ev: Evaluator):
        self.address = address
        self.ev = ev

    def attr(self, name: str) -> Any:
        return self.ev.instance_attr(self.address, name)

    def __repr__(self) -> str:
        return f"<{self.address}>"


class ModuleRef:
    """A module instance used as a value (`module.vpc`): its outputs as attributes."""

    __slots__ = ("address", "ev")

    def __init__(self, address: str, ev: Evaluator):
        self.address = address
        self.ev = ev

    def attr(self, name: str) -> Any:
        return self.ev.output(self.address, name)


class _Namespace:
    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[str], Any]):
        self.fn = fn

    def attr(self, name: str) -> Any:
        return self.fn(name)


def _key_suffix(key: Any) -> str:
    return f"[{json.dumps(key)}]"


def _split_module(address: str) -> tuple[str, str, str]:
    """module.a["k"].module.b[0] -> (module.a["k"], b, [0])."""
    m = re.match(r"^(.*?)(?:\.)?module\.([A-Za-z0-9_-]+)((?:\[[^\]]*\])?)$", address)
    if not m:
        raise EvalError(f"not a module address: {address}")
    return m.group(1), m.group(2), m.group(3)


def _parse_key(suffix: str) -> Any:
    return json.loads(suffix[1:-1]) if suffix else None


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"a bool is required, got {value!r}")


def _iterate(coll: Any) -> list[tuple[Any, Any]]:
    if isinstance(coll, dict):
        return [(k, coll[k]) for k in sorted(coll)]
    if isinstance(coll, list | tuple):
        return list(enumerate(coll))
    if coll is None:
        raise EvalError("cannot iterate over null")
    raise EvalError(f"cannot iterate over {type(coll).__name__}")


def _never_null(value: Any) -> bool:
    """An unknown that is certainly not null: a resource attribute such as an ID or ARN,
    or a string template; or any collection (its elements may be unknown)."""
    if isinstance(value, Unknown):
        return value.ref is not None or value.parts is not None or value.doc is not None
    return value is not None


def _compare(op: str, a: Any, b: Any) -> Any:
    if op in ("==", "!="):
        if a is None or b is None:
            other = b if a is None else a
            if other is None:
                return op == "=="
            if _never_null(other):
                return op == "!="
            return Unknown.of(other)
        if is_unknown(a) or is_unknown(b) or has_unknown(a) or has_unknown(b):
            return Unknown.of(a, b)
        eq = a == b
        if isinstance(a, bool) != isinstance(b, bool) and not (a is None or b is None):
            eq = False
        return eq if op == "==" else not eq
    if is_unknown(a) or is_unknown(b):
        return Unknown.of(a, b)
    x, y = FUNCTIONS["tonumber"](a), FUNCTIONS["tonumber"](b)
    return {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]


def _arith(op: str, a: Any, b: Any) -> Any:
    if is_unknown(a) or is_unknown(b):
        return Unknown.of(a, b)
    x, y = FUNCTIONS["tonumber"](a), FUNCTIONS["tonumber"](b)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if y == 0:
        raise EvalError("division by zero")
    if op == "/":
        r = x / y
        return int(r) if float(r).is_integer() else r
    return x % y


class Evaluator:
    def __init__(self, graph: PlanGraph, sources: dict[str, dict[str, str]] | None):
        self.g = graph
        self.sources = sources or {}
        self._configs: dict[str, ModuleConfig | None] = {}
        self._fallback: dict[str, ModuleConfig] | None = None
        self._memo: dict[tuple, Any] = {}
        self._busy: set[tuple] = set()
        self.depth = 0

    # -- configuration -------------------------------------------------------------------

    def config(self, module: str) -> ModuleConfig | None:
        key = module_key(module)
        if key not in self._configs:
            files = self.sources.get(key)
            if files is not None:
                self._configs[key] = load_module(key, files)
            else:
                if self._fallback is None:
                    self._fallback = from_plan_configuration(self.g.plan)
                self._configs[key] = self._fallback.get(key)
        return self._configs[key]

    def resource_body(self, module: str, mode: str, type_: str, name: str) -> Body | None:
        cfg = self.config(module)
        return cfg.resources.get((mode, type_, name)) if cfg else None

    # -- memo with cycle guard -------------------------------------------------------------

    def _cached(self, key: tuple, compute: Callable[[], Any], on_cycle: Callable[[], Any]):
        if key in self._memo:
            return self._memo[key]
        if key in self._busy or self.depth > MAX_DEPTH:
            return on_cycle()
        self._busy.add(key)
        self.depth += 1
        try:
            value = compute()
        finally:
            self.depth -= 1
            self._busy.discard(key)
        self._memo[key] = value
        return value

    # -- names ---------------------------------------------------------------------------

    def variable(self, module: str, name: str) -> Any:
        return self._cached(
            ("var", module, name),
            lambda: self._variable(module, name),
            lambda: Unknown(reason=f"var.{name} refers to itself"),
        )

    def _variable(self, module: str, name: str) -> Any:
        cfg = self.config(module)
        decl = cfg.variables.get(name) if cfg else None
        if not module:
            if name in self.g.variables:
                value = self.g.variables[name]
                if name in self.g.sensitive_variables or value == _REDACTED:
                    # redacted, not null (redaction keeps nulls): a value we may not see
                    return Unknown(reason=f"var.{name} is sensitive", parts=())
                return value
            if decl is None:
                raise EvalError(f"no variable {name!r} in the root")
            return self._default(decl)
        if cfg is None:
            return Unknown(reason=f"the source of {module} is not available")
        if decl is None:
            raise EvalError(f"no variable {name!r} in {module}")
        parent, call, suffix = _split_module(module)
        call_body = self.config(parent).calls.get(call) if self.config(parent) else None
        if call_body is None:
            return Unknown(reason=f"the call of {module} is not available")
        if name in call_body.attributes:
            scope = self._call_scope(parent, call, call_body, suffix)
            value = self.eval(call_body.attributes[name], parent, scope)
            if value is None and "nullable" in decl.attributes:
                nullable = self.eval(decl.attributes["nullable"], "", {})
                if nullable is False and "default" in decl.attributes:
                    return self._default(decl)
        else:
            return self._default(decl)
        return self._convert_var(decl, value)

    def _default(self, decl: Body) -> Any:
        if "default" not in decl.attributes:
            return None
        return self._convert_var(decl, self.eval(decl.attributes["default"], "", {}))

    def _convert_var(self, decl: Body, value: Any) -> Any:
        type_node = decl.attributes.get("type")
        if type_node is None:
            return value
        try:
            return _convert(value, type_node, self)
        except EvalError:
            return value

    def _call_scope(self, parent: str, call: str, body: Body, suffix: str) -> dict:
        key = _parse_key(suffix)
        if "count" in body.attributes and isinstance(key, int):
            return {"count": {"index": key}}
        if "for_each" in body.attributes and key is not None:
            each = self.eval(body.attributes["for_each"], parent, {})
            return {"each": {"key": key, "value": _each_value(each, key)}}
        return {}

    def local(self, module: str, name: str) -> Any:
        return self._cached(
            ("local", module, name),
            lambda: self._local(module, name),
            lambda: Unknown(reason=f"local.{name} refers to itself"),
        )

    def _local(self, module: str, name: str) -> Any:
        cfg = self.config(module)
        if cfg is None:
            return Unknown(reason=f"the source of {module or 'the root'} is not available")
        if name not in cfg.locals:
            raise EvalError(f"no local {name!r}")
        return self.eval(cfg.locals[name], module, {})

    def output(self, module: str, name: str) -> Any:
        return self._cached(
            ("output", module, name),
            lambda: self._output(module, name),
            lambda: Unknown(reason=f"output {name} of {module} refers to itself"),
        )

    def _output(self, module: str, name: str) -> Any:
        cfg = self.config(module)
        if cfg is None:
            return Unknown(reason=f"the source of {module} is not available")
        out = cfg.outputs.get(name)
        if out is None or "value" not in out.attributes:
            raise EvalError(f"no output {name!r} in {module}")
        return self.eval(out.attributes["value"], module, {})

    def module_value(self, module: str, call: str) -> Any:
        """`module.<call>` inside `module`: one ModuleRef, or a list/map of them."""
        return self._cached(
            ("module", module, call),
            lambda: self._module_value(module, call),
            lambda: Unknown(reason=f"module.{call} refers to itself"),
        )

    def _module_value(self, module: str, call: str) -> Any:
        base = f"{module}.module.{call}" if module else f"module.{call}"
        cfg = self.config(module)
        body = cfg.calls.get(call) if cfg else None
        if body is None:
            raise EvalError(f"no module call {call!r}")
        if "count" in body.attributes:
            n = self.eval(body.attributes["count"], module, {})
            if is_unknown(n):
                return Unknown.of(n)
            return [ModuleRef(f"{base}[{i}]", self) for i in range(int(n))]
        if "for_each" in body.attributes:
            each = self.eval(body.attributes["for_each"], module, {})
            if is_unknown(each):
                return Unknown.of(each)
            return {str(k): ModuleRef(base + _key_suffix(str(k)), self) for k, _ in _keys(each)}
        return ModuleRef(base, self)

    def resources(self, module: str, mode: str, type_: str, name: str) -> Any:
        """`aws_x.name` inside `module`: one InstanceRef, or a list/map of them."""
        return self._cached(
            ("res", module, mode, type_, name),
            lambda: self._resources(module, mode, type_, name),
            lambda: Unknown(reason=f"{type_}.{name} refers to itself"),
        )

    def _resources(self, module: str, mode: str, type_: str, name: str) -> Any:
        prefix = f"{module}." if module else ""
        base = f"{prefix}{'data.' if mode == 'data' else ''}{type_}.{name}"
        body = self.resource_body(module, mode, type_, name)
        planned = self.g.instances(module, mode, type_, name)
        if body is not None and "count" in body.attributes:
            try:
                n = self.eval(body.attributes["count"], module, {})
            except EvalError:
                n = None
            if isinstance(n, int | float) and not isinstance(n, bool):
                return [InstanceRef(f"{base}[{i}]", self) for i in range(int(n))]
            return [InstanceRef(r.address, self) for r in planned]
        if body is not None and "for_each" in body.attributes:
            try:
                each = self.eval(body.attributes["for_each"], module, {})
            except EvalError:
                each = None
            if isinstance(each, dict | list):
                return {
                    str(k): InstanceRef(base + _key_suffix(str(k)), self) for k, _ in _keys(each)
                }
            return {str(r.index): InstanceRef(r.address, self) for r in planned}
        if body is not None and planned and planned[0].index is not None:
            body = None  # the plan shows instances the configuration does not: trust the plan
        if body is None:
            if not planned:
                if self.config(module) is not None:
                    raise EvalError(f"no resource {base}")
                return Unknown(reason=f"the source of {module or 'the root'} is not available")
            if planned[0].index is None:
                return InstanceRef(planned[0].address, self)
            if isinstance(planned[0].index, int):
                return [InstanceRef(r.address, self) for r in planned]
            return {str(r.index): InstanceRef(r.address, self) for r in planned}
        return InstanceRef(base, self)

    # -- instance attributes ---------------------------------------------------------------

    def instance_attr(self, address: str, name: str) -> Any:
        return self._cached(
            ("attr", address, name),
            lambda: self._instance_attr(address, name),
            lambda: Unknown(frozenset({address}), ref=(address, (name,))),
        )

    def _instance_attr(self, address: str, name: str) -> Any:
        res = self.g.resources.get(address)
        ref = Unknown(frozenset({address}), ref=(address, (name,)))
        if res is None:
            return ref  # not planned yet (e.g. a data source read at apply)
        if address in self.g.fabricated:  # looked up offline in an empty emulator
            argument = self.config_attr(res, name)
            if argument is not _MISSING and argument is not None:
                return argument  # what the root asks for (a name, a filter) is its own
            return Unknown(
                frozenset({address}), ref=(address, (name,)), reason=f"{address}: {OFFLINE}"
            )
        value = self._planned_attr(res, address, name)
        if self.g.fabricated and res.mode == "managed":
            return self._without_lookups(res, name, value)
        return value

    def _planned_attr(self, res: Any, address: str, name: str) -> Any:
        ref = Unknown(frozenset({address}), ref=(address, (name,)))
        mask = res.unknown.get(name) if isinstance(res.unknown, dict) else res.unknown
        planned = res.values.get(name, _MISSING)
        if not _any_true(mask) and planned is not _MISSING:
            return planned
        evaluated = self.config_attr(res, name)
        if evaluated is None and (mask is True or planned is _MISSING):
            if res.mode == "data":  # a data source's attributes are what it looks up
                return Unknown(frozenset({address}), ref=(address, (name,)), configured_null=True)
            return None  # null in the configuration: the provider's default applies
        if evaluated is _MISSING:
            if res.mode == "data" and res.type == "aws_iam_policy_document" and name == "json":
                return self.policy_document(res)
            if mask is True:
                return ref
            if planned is _MISSING:
                return None  # neither planned nor configured: not set
            return _merge(planned, mask, _MISSING, address, (name,))
        if planned is _MISSING:
            return evaluated
        return _merge(planned, mask, evaluated, address, (name,))

    def _without_lookups(self, res: Any, name: str, value: Any) -> Any:
        """`value` with the parts made of an offline lookup unknown: the plan shows what
        the empty emulator answered (an empty list of subnets, say), not the account."""
        evaluated = self.config_attr(res, name)
        if evaluated is _MISSING:  # no source: the plan's own references say
            refs = ((res.config.get("expressions") or {}).get(name) or {}).get("references")
            found = {_data_address(res.module, r) for r in refs or []} & self.g.fabricated
            if found:
                return Unknown(frozenset(found), reason=f"{sorted(found)[0]}: {OFFLINE}")
            return value
        return _overlay_lookups(value, evaluated, self.g.fabricated)

    def scope_of(self, res: Any) -> dict:
        body = self.resource_body(res.module, res.mode, res.type, res.name)
        if body is None:
            return {}
        scope: dict = {"self": InstanceRef(res.address, self)}
        if "count" in body.attributes and isinstance(res.index, int):
            scope["count"] = {"index": res.index}
        elif "for_each" in body.attributes and res.index is not None:
            each = self._cached(
                ("for_each", res.module, res.mode, res.type, res.name),
                lambda: self._safe(body.attributes["for_each"], res.module, {}),
                lambda: Unknown(reason="for_each refers to itself"),
            )
            scope["each"] = {"key": res.index, "value": _each_value(each, res.index)}
        return scope

    def configured(self, res: Any, name: str) -> bool | None:
        """Does the configuration set attribute or block `name`? None: no source."""
        body = self.resource_body(res.module, res.mode, res.type, res.name)
        if body is None:
            return None
        if name in body.attributes:
            return True
        return any(
            b.type == name or (b.type == "dynamic" and b.labels[:1] == (name,)) for b in body.blocks
        )

    def config_attr(self, res: Any, name: str) -> Any:
        """The configuration's value for attribute or nested block `name` of `res`."""
        body = self.resource_body(res.module, res.mode, res.type, res.name)
        if body is None:
            return _MISSING
        scope = self.scope_of(res)
        if name in body.attributes:
            return self._safe(body.attributes[name], res.module, scope)
        if any(
            b.type == name or (b.type == "dynamic" and b.labels[:1] == (name,)) for b in body.blocks
        ):
            return self.blocks(body, name, res.module, scope)
        return _MISSING

    def blocks(self, body: Body, name: str, module: str, scope: dict) -> Any:
        out: list = []
        for block in body.blocks:
            if block.type == name:
                out.append(self.body_value(block.body, module, scope))
            elif block.type == "dynamic" and block.labels[:1] == (name,):
                inner = block.body
                iterator = name
                if "iterator" in inner.attributes and inner.attributes["iterator"][0] == "var":
                    iterator = inner.attributes["iterator"][1]
                coll = self._safe(inner.attributes.get("for_each", ("lit", None)), module, scope)
                if is_unknown(coll):
                    return Unknown.of(coll, reason=f"the {name} blocks depend on {coll!r}")
                content = inner.blocks_of("content")
                if not content:
                    continue
                try:
                    items = _iterate(coll)
                except EvalError as err:
                    return Unknown(reason=f"cannot evaluate the {name} blocks: {err}")
                for key, value in items:
                    sub = dict(scope)
                    sub[iterator] = {"key": key, "value": value}
                    out.append(self.body_value(content[0].body, module, sub))
        return out

    def body_value(self, body: Body, module: str, scope: dict) -> dict:
        out: dict = {}
        for attr, node in body.attributes.items():
            out[attr] = self._safe(node, module, scope)
        names = []
        for block in body.blocks:
            n = block.labels[0] if block.type == "dynamic" and block.labels else block.type
            if n not in names:
                names.append(n)
        for n in names:
            out[n] = self.blocks(body, n, module, scope)
        return out

    def _safe(self, node: tuple, module: str, scope: dict) -> Any:
        try:
            return self.eval(node, module, scope)
        except EvalError as err:
            return Unknown(reason=f"cannot evaluate: {err}")
        except RecursionError:
            return Unknown(reason="cannot evaluate: nested too deeply")

    def policy_document(self, res: Any) -> Any:
        """aws_iam_policy_document's `json`, built from its statements when unknown:
        the statements of `source_policy_documents`, then its own, then those of
        `override_policy_documents` (an override replaces a statement of the same Sid)."""
        ref = Unknown(frozenset({res.address}), ref=(res.address, ("json",)))
        statements = self.config_attr(res, "statement")
        if statements is _MISSING:
            statements = []
        if is_unknown(statements):
            return ref
        merged: list = []
        for attr in ("source_policy_documents", "source_json"):
            docs = self.config_attr(res, attr)
            if docs is _MISSING or docs is None:
                continue
            for doc in docs if isinstance(docs, list) else [docs]:
                parsed = _policy_statements(doc)
                if parsed is None:
                    return ref
                merged += parsed
        doc_statements = []
        for st in statements:
            item: dict = {}
            if st.get("sid") not in (None, _MISSING):
                item["Sid"] = st["sid"]
            item["Effect"] = st.get("effect") or "Allow"
            for key, field in (
                ("actions", "Action"),
                ("not_actions", "NotAction"),
                ("resources", "Resource"),
                ("not_resources", "NotResource"),
            ):
                if st.get(key) is not None:
                    item[field] = st[key]
            for key, field in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
                if st.get(key):
                    principals: dict = {}
                    for p in st[key]:
                        principals.setdefault(p.get("type"), [])
                        ids = p.get("identifiers")
                        principals[p.get("type")] += ids if isinstance(ids, list) else [ids]
                    item[field] = principals
            if st.get("condition"):
                cond: dict = {}
                for c in st["condition"]:
                    cond.setdefault(c.get("test"), {})[c.get("variable")] = c.get("values")
                item["Condition"] = cond
            doc_statements.append(item)
        overrides: list = []
        for attr in ("override_policy_documents", "override_json"):
            docs = self.config_attr(res, attr)
            if docs is _MISSING or docs is None:
                continue
            for doc in docs if isinstance(docs, list) else [docs]:
                parsed = _policy_statements(doc)
                if parsed is None:
                    return ref
                overrides += parsed
        final = merged + doc_statements
        for over in overrides:
            sid = over.get("Sid") if isinstance(over, dict) else None
            same = [
                i
                for i, st in enumerate(final)
                if sid and isinstance(st, dict) and st.get("Sid") == sid
            ]
            if same:
                final[same[0]] = over
            else:
                final.append(over)
        doc = {"Version": "2012-10-17", "Statement": final}
        return Unknown(frozenset({res.address}), reason="a policy document built at apply", doc=doc)

    # -- expressions ----------------------------------------------------------------------

    def eval(self, node: tuple, module: str, scope: dict) -> Any:
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "var":
            return self.name(node[1], module, scope)
        if kind == "attr":
            return self.get_attr(self.eval(node[1], module, scope), node[2], node)
        if kind == "index":
            obj = self.eval(node[1], module, scope)
            return self.get_index(obj, self.eval(node[2], module, scope))
        if kind == "tmpl":
            return self.template(node[1], module, scope)
        if kind == "call":
            return self.call(node, module, scope)
        if kind == "tuple":
            return [self.eval(x, module, scope) for x in node[1]]
        if kind == "object":
            out: dict = {}
            for k, v in node[1]:
                key = self.eval(k, module, scope)
                if is_unknown(key):
                    return Unknown.of(key)
                out[tostring(key)] = self.eval(v, module, scope)
            return out
        if kind == "cond":
            cond = self.eval(node[1], module, scope)
            if is_unknown(cond):
                a = self._safe(node[2], module, scope)
                b = self._safe(node[3], module, scope)
                return Unknown.of(cond, a, b, reason="a condition known after apply")
            return self.eval(node[2] if _truthy(cond) else node[3], module, scope)
        if kind == "binop":
            return self.binop(node, module, scope)
        if kind == "unop":
            value = self.eval(node[2], module, scope)
            if is_unknown(value):
                return Unknown.of(value)
            if node[1] == "!":
                return not _truthy(value)
            return -FUNCTIONS["tonumber"](value)
        if kind == "splat":
            return self.splat(node, module, scope)
        if kind == "for":
            return self.for_expr(node, module, scope)
        raise EvalError(f"unknown expression {kind}")

    def name(self, name: str, module: str, scope: dict) -> Any:
        if name in scope:
            return scope[name]
        if name == "var":
            return _Namespace(lambda n: self.variable(module, n))
        if name == "local":
            return _Namespace(lambda n: self.local(module, n))
        if name == "module":
            return _Namespace(lambda n: self.module_value(module, n))
        if name == "data":
            return _Namespace(lambda t: _Namespace(lambda n: self.resources(module, "data", t, n)))
        if name == "path":
            return {"module": ".", "root": ".", "cwd": "."}
        if name == "terraform":
            return {"workspace": "default"}
        if name in ("count", "each", "self"):
            raise EvalError(f"{name} is not available here")
        return _Namespace(lambda n: self.resources(module, "managed", name, n))

    def get_attr(self, obj: Any, name: str, node: tuple | None = None) -> Any:
        if isinstance(obj, _Namespace | InstanceRef | ModuleRef):
            return obj.attr(name)
        if isinstance(obj, dict):
            if name in obj:
                return obj[name]
            raise EvalError(f"no attribute {name!r}")
        if is_unknown(obj):
            if obj.ref:
                return Unknown(obj.deps, ref=(obj.ref[0], (*obj.ref[1], name)), reason=obj.reason)
            if obj.doc is not None:
                return Unknown.of(obj)
            return Unknown(obj.deps, reason=obj.reason)
        if obj is None:
            raise EvalError(f"attribute {name!r} of a null value")
        raise EvalError(f"attribute {name!r} of a {type(obj).__name__}")

    def get_index(self, obj: Any, key: Any) -> Any:
        if is_unknown(key):
            return Unknown.of(obj, key)
        if is_unknown(obj):
            if obj.ref:
                return Unknown(obj.deps, ref=(obj.ref[0], (*obj.ref[1], key)), reason=obj.reason)
            return Unknown(obj.deps, reason=obj.reason)
        if isinstance(obj, list | tuple):
            try:
                i = int(FUNCTIONS["tonumber"](key))
            except EvalError:
                raise EvalError(f"index {key!r} of a list") from None
            if 0 <= i < len(obj):
                return obj[i]
            raise EvalError(f"index {i} out of range ({len(obj)} elements)")
        if isinstance(obj, dict):
            k = tostring(key)
            if k in obj:
                return obj[k]
            raise EvalError(f"no key {k!r}")
        if isinstance(obj, InstanceRef | ModuleRef | _Namespace):
            return obj.attr(tostring(key))
        if obj is None:
            raise EvalError("index of a null value")
        raise EvalError(f"index of a {type(obj).__name__}")

    def template(self, parts: list, module: str, scope: dict) -> Any:
        if len(parts) == 1 and isinstance(parts[0], tuple) and parts[0][0] not in ("%if", "%for"):
            return self.eval(parts[0], module, scope)
        pieces = self._template_pieces(parts, module, scope)
        if any(is_unknown(p) for p in pieces):
            merged: list = []
            for p in pieces:
                if isinstance(p, str) and merged and isinstance(merged[-1], str):
                    merged[-1] += p
                else:
                    merged.append(p)
            return Unknown(
                frozenset(),
                reason="a string built from values known after apply",
                parts=tuple(merged),
            )
        return "".join(pieces)

    def _template_pieces(self, parts: list, module: str, scope: dict) -> list:
        out: list = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "%if":
                cond = self.eval(part[1], module, scope)
                if is_unknown(cond):
                    out.append(Unknown.of(cond))
                else:
                    out += self._template_pieces(
                        part[2] if _truthy(cond) else part[3], module, scope
                    )
            elif part[0] == "%for":
                coll = self.eval(part[3], module, scope)
                if is_unknown(coll):
                    out.append(Unknown.of(coll))
                    continue
                for k, v in _iterate(coll):
                    sub = dict(scope)
                    if part[1]:
                        sub[part[1]] = k
                    sub[part[2]] = v
                    out += self._template_pieces(part[4], module, sub)
            else:
                value = self.eval(part, module, scope)
                if is_unknown(value):
                    out.append(value)
                elif isinstance(value, InstanceRef | ModuleRef):
                    raise EvalError("an object in a string template")
                else:
                    out.append(tostring(value))
        return out

    def binop(self, node: tuple, module: str, scope: dict) -> Any:
        op = node[1]
        if op in ("&&", "||"):
            a = self.eval(node[2], module, scope)
            if not is_unknown(a):
                if op == "&&" and not _truthy(a):
                    return False
                if op == "||" and _truthy(a):
                    return True
            b = self.eval(node[3], module, scope)
            if is_unknown(b):
                return Unknown.of(a, b)
            if is_unknown(a):
                if op == "&&" and not _truthy(b):
                    return False
                if op == "||" and _truthy(b):
                    return True
                return Unknown.of(a, b)
            return _truthy(b)
        a = self.eval(node[2], module, scope)
        b = self.eval(node[3], module, scope)
        if op in ("==", "!=", "<", ">", "<=", ">="):
            return _compare(op, _plain(a), _plain(b))
        return _arith(op, a, b)

    def splat(self, node: tuple, module: str, scope: dict) -> Any:
        obj = self.eval(node[1], module, scope)
        if is_unknown(obj):
            return Unknown.of(obj)
        if obj is None:
            return []
        items = list(obj) if isinstance(obj, list | tuple) else [obj]
        out = []
        for item in items:
            for op in node[2]:
                if op[0] == "attr":
                    item = self.get_attr(item, op[1])
                else:
                    item = self.get_index(item, self.eval(op[1], module, scope))
            out.append(item)
        return out

    def for_expr(self, node: tuple, module: str, scope: dict) -> Any:
        _, kvar, vvar, coll_node, key_node, value_node, cond_node, group = node
        coll = self.eval(coll_node, module, scope)
        if is_unknown(coll):
            return Unknown.of(coll, reason="a for expression over values known after apply")
        if isinstance(coll, InstanceRef | ModuleRef):
            raise EvalError("cannot iterate over an object reference")
        items = _iterate(coll)
        out_list: list = []
        out_map: dict = {}
        for k, v in items:
            sub = dict(scope)
            if kvar:
                sub[kvar] = k
            sub[vvar] = v
            if cond_node is not None:
                cond = self.eval(cond_node, module, sub)
                if is_unknown(cond):
                    return Unknown.of(
                        cond, reason="a for expression filtered by a value known after apply"
                    )
                if not _truthy(cond):
                    continue
            value = self.eval(value_node, module, sub)
            if key_node is None:
                out_list.append(value)
                continue
            key = self.eval(key_node, module, sub)
            if is_unknown(key):
                return Unknown.of(key)
            key = tostring(key)
            if group:
                out_map.setdefault(key, []).append(value)
            else:
                out_map[key] = value
        return out_list if key_node is None else out_map

    def call(self, node: tuple, module: str, scope: dict) -> Any:
        _, name, arg_nodes, expand = node
        if name == "try":
            last: Exception | None = None
            for arg in arg_nodes:
                try:
                    return self.eval(arg, module, scope)
                except EvalError as err:
                    last = err
            raise EvalError(f"try(): every argument failed ({last})")
        if name == "__depends_on__":  # several references of a plan-only expression
            values = [self._safe(a, module, scope) for a in arg_nodes]
            return Unknown.of(*values, reason="an expression the plan does not keep")
        if name == "can":
            try:
                value = self.eval(arg_nodes[0], module, scope)
            except EvalError:
                return False
            return Unknown.of(value) if is_unknown(value) else True
        args = [self.eval(a, module, scope) for a in arg_nodes]
        if expand and args:
            last_arg = args.pop()
            if is_unknown(last_arg):
                return Unknown.of(*args, last_arg)
            args += list(last_arg.values()) if isinstance(last_arg, dict) else list(last_arg)
        short = name.split("::")[-1]
        if short == "templatefile":
            return self._templatefile(module, *args)
        fn = FUNCTIONS.get(short)
        if fn is None:
            return Unknown.of(*args, reason=f"cannot evaluate {name}()")
        if name == "lookup" and args and isinstance(args[0], InstanceRef | ModuleRef):
            try:
                return args[0].attr(tostring(args[1]))
            except EvalError:
                if len(args) > 2:
                    return args[2]
                raise
        if name in ("jsonencode", "yamlencode"):
            args = [_materialize(a) for a in args]
        try:
            return fn(*args)
        except EvalError:
            raise
        except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError) as err:
            raise EvalError(f"{name}(): {err}") from None

    def _templatefile(self, module: str, path: Any = None, variables: Any = None) -> Any:
        """templatefile(): the template's text from the sources (modules.template_key),
        rendered with `variables` as its only names; always a string."""
        if is_unknown(path) or is_unknown(variables):
            return Unknown.of(path, variables)
        if not isinstance(path, str) or not isinstance(variables, dict):
            raise EvalError("templatefile(): a path and an object of variables")
        files = self.sources.get(module_key(module)) or {}
        text = files.get(template_key(posixpath.normpath(path)))
        if text is None:
            return Unknown.of(variables, reason=f"cannot read the template {path}")
        try:
            node = parse_template(text, path)
        except HclError as err:
            raise EvalError(f"templatefile(): {err}") from None
        value = self.eval(node, module, dict(variables))
        return value if isinstance(value, str) or is_unknown(value) else tostring(value)


# -- helpers --------------------------------------------------------------------------


def _any_true(node: Any) -> bool:
    if node is True:
        return True
    if isinstance(node, dict):
        return any(_any_true(v) for v in node.values())
    if isinstance(node, list):
        return any(_any_true(v) for v in node)
    return False


def _policy_statements(doc: Any) -> list | None:
    """The statements of a policy document given as JSON text or an apply-time document."""
    if isinstance(doc, Unknown):
        data = doc.doc
    elif isinstance(doc, str):
        try:
            data = json.loads(doc)
        except ValueError:
            return None
    else:
        return None
    if not isinstance(data, dict):
        return None
    sts = data.get("Statement", [])
    return list(sts) if isinstance(sts, list) else [sts]


def _data_address(module: str, ref: str) -> str:
    """A configuration reference ("data.aws_subnets.private.ids") as the instance address
    the plan gives it ("module.x.data.aws_subnets.private")."""
    parts = ref.split(".")
    base = ".".join(parts[:3]) if parts[0] == "data" else ref
    return f"{module}.{base}" if module else base


def _lookups_in(value: Any, lookups: set[str]) -> set[str]:
    """The offline lookups an evaluated value is made of."""
    if isinstance(value, Unknown):
        found = set(value.deps) & lookups
        if value.ref and value.ref[0] in lookups:
            found.add(value.ref[0])
        for part in value.parts or ():
            found |= _lookups_in(part, lookups)
        return found
    if isinstance(value, dict):
        return set().union(*(_lookups_in(v, lookups) for v in value.values()))
    if isinstance(value, list | tuple):
        return set().union(*(_lookups_in(v, lookups) for v in value))
    return set()


def _overlay_lookups(value: Any, evaluated: Any, lookups: set[str]) -> Any:
    """`value`, except where `evaluated` (the same attribute from the configuration) is an
    unknown made of one of `lookups`: there, that unknown."""
    if not _lookups_in(evaluated, lookups):
        return value
    if isinstance(value, dict) and isinstance(evaluated, dict):
        return {
            k: _overlay_lookups(v, evaluated[k], lookups) if k in evaluated else v
            for k, v in value.items()
        }
    if isinstance(value, list) and isinstance(evaluated, list) and len(value) == len(evaluated):
        return [_overlay_lookups(v, e, lookups) for v, e in zip(value, evaluated, strict=True)]
    if isinstance(evaluated, Unknown):
        return evaluated
    found = _lookups_in(evaluated, lookups)
    return Unknown(frozenset(found), reason=f"{sorted(found)[0]}: {OFFLINE}")


def _plain(value: Any) -> Any:
    if isinstance(value, InstanceRef | ModuleRef):
        return Unknown(frozenset({value.address}), reason="an object")
    return value


def _materialize(value: Any) -> Any:
    """Instance references inside a value become unknowns (functions see data only)."""
    if isinstance(value, InstanceRef | ModuleRef):
        return Unknown(frozenset({value.address}), reason=f"the object {value.address}")
    if isinstance(value, dict):
        return {k: _materialize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_materialize(v) for v in value]
    return value


def _keys(each: Any) -> list[tuple[Any, Any]]:
    if isinstance(each, dict):
        return [(k, each[k]) for k in sorted(each)]
    if isinstance(each, list | tuple):
        return [(tostring(v), v) for v in each if not is_unknown(v)]
    return []


def _each_value(each: Any, key: Any) -> Any:
    if is_unknown(each):
        return Unknown.of(each)
    if isinstance(each, dict):
        return each.get(str(key), Unknown(reason=f"each.value for key {key!r}"))
    if isinstance(each, list | tuple):
        return key  # a set of strings: each.value is the key
    return Unknown(reason="each.value cannot be evaluated")


def _compatible(planned: Any, evaluated: Any) -> bool:
    if is_unknown(planned) or is_unknown(evaluated):
        return True
    if isinstance(planned, dict) and isinstance(evaluated, dict):
        return all(_compatible(planned[k], evaluated[k]) for k in planned if k in evaluated)
    if isinstance(planned, list) and isinstance(evaluated, list):
        return len(planned) == len(evaluated) and all(
            _compatible(a, b) for a, b in zip(planned, evaluated, strict=True)
        )
    if isinstance(planned, dict | list) or isinstance(evaluated, dict | list):
        return planned in (None, [], {}) or evaluated in (None, [], {})
    if planned is None or evaluated is None:
        return True
    return planned == evaluated or tostring_safe(planned) == tostring_safe(evaluated)


def tostring_safe(value: Any) -> str:
    try:
        return tostring(value)
    except EvalError:
        return repr(value)


def _merge(planned: Any, mask: Any, evaluated: Any, address: str, path: tuple) -> Any:
    """The planned value with its unknown parts filled from the evaluated configuration."""
    if mask is True:
        if evaluated is _MISSING or evaluated is None:
            return Unknown(frozenset({address}), ref=(address, path))
        return evaluated
    if not _any_true(mask):
        return planned
    if isinstance(planned, dict):
        ev = evaluated if isinstance(evaluated, dict) else {}
        keys = list(planned) + [k for k in (mask or {}) if k not in planned]
        return {
            k: _merge(planned.get(k), (mask or {}).get(k), ev.get(k, _MISSING), address, (*path, k))
            for k in keys
        }
    if isinstance(planned, list):
        ev = evaluated if isinstance(evaluated, list) else []
        masks = mask if isinstance(mask, list) else []
        out = []
        for i, item in enumerate(planned):
            m = masks[i] if i < len(masks) else None
            candidate: Any = _MISSING
            if _any_true(m) and ev:
                matches = [j for j, e in enumerate(ev) if _compatible(item, e)]
                if len(ev) == len(planned) and i in matches:
                    candidate = ev[i]
                elif len(matches) == 1:
                    candidate = ev[matches[0]]
            out.append(_merge(item, m, candidate, address, (*path, i)))
        return out
    return planned


def _convert(value: Any, type_node: tuple, ev: Evaluator) -> Any:
    """Terraform's conversion of a module argument to its variable's type (optional())."""
    if is_unknown(value) or value is None:
        return value
    kind = type_node[0]
    if kind == "var":
        name = type_node[1]
        if name == "string" and isinstance(value, bool | int | float):
            return tostring(value)
        if name == "number" and isinstance(value, str):
            return FUNCTIONS["tonumber"](value)
        if name == "bool" and value in ("true", "false"):
            return value == "true"
        return value
    if kind != "call":
        return value
    name, args = type_node[1], type_node[2]
    if name in ("list", "set") and args and isinstance(value, list):
        return [_convert(v, args[0], ev) for v in value]
    if name == "map" and args and isinstance(value, dict):
        return {k: _convert(v, args[0], ev) for k, v in value.items()}
    if name == "tuple" and args and args[0][0] == "tuple" and isinstance(value, list):
        return [_convert(v, t, ev) for v, t in zip(value, args[0][1], strict=False)] + value[
            len(args[0][1]) :
        ]
    if name == "object" and args and args[0][0] == "object" and isinstance(value, dict):
        out = dict(value)
        for key_node, attr_type in args[0][1]:
            key = key_node[1] if key_node[0] == "lit" else None
            if key is None:
                continue
            optional = attr_type[0] == "call" and attr_type[1] == "optional"
            inner = attr_type[2][0] if optional and attr_type[2] else attr_type
            if key in out and out[key] is not None:
                out[key] = _convert(out[key], inner, ev)
            elif optional:
                default = ev.eval(attr_type[2][1], "", {}) if len(attr_type[2]) > 1 else None
                out[key] = _convert(default, inner, ev) if default is not None else None
        return out
    return value
