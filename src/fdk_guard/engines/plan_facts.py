"""What a plan JSON says about one property of one resource: is it unknown until apply, and
does the configuration set it (or leave it to the provider's default)?

terraform-compliance reads a plan's `after` values, where a value unknown until apply is
simply missing: "does not have kms_key_id property" may mean "no key" or "a key whose ARN
is known after apply". The compliance engine asks these facts to tell the two apart. They
are read from the plan alone (`resource_changes` and `configuration`), not from the
plan-graph evaluator, so that the engines stay independent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Attributes holding a JSON document (a policy, container definitions): a property looked
# up inside one (Statement, Principal...) is unknown when the document is.
JSON_DOCUMENTS = ("policy", "assume_role_policy", "container_definitions")
_INDEX = re.compile(r"\[[^\]]*\]")
# reference roots terraform-compliance does not follow to a resource
INDIRECT = ("local", "var", "module", "each")


class PlanFacts:
    def __init__(self, plan: dict | None):
        plan = plan or {}
        self.changes: dict[str, dict] = {}
        self.types: dict[str, list[str]] = {}
        for rc in plan.get("resource_changes") or []:
            change = rc.get("change") or {}
            if rc.get("mode", "managed") != "managed" or change.get("actions") == ["delete"]:
                continue
            self.changes[rc["address"]] = rc
            self.types.setdefault(rc.get("type", ""), []).append(rc["address"])
        self.variables = plan.get("variables") or {}
        self.root = (plan.get("configuration") or {}).get("root_module") or {}

    def of_type(self, type_: str) -> list[str]:
        """Addresses of the managed resources of `type_` the plan keeps (not deleted)."""
        return self.types.get(type_, [])

    def after(self, address: str) -> dict:
        """The planned values of `address` (what terraform-compliance reads)."""
        return ((self.changes.get(address) or {}).get("change") or {}).get("after") or {}

    def unknown(self, address: str, prop: str) -> bool:
        """Whether `prop` (at any depth) of `address` is unknown until apply."""
        change = (self.changes.get(address) or {}).get("change") or {}
        after_unknown = change.get("after_unknown") or {}
        if any(True for _ in _paths_to(after_unknown, prop, unknown_only=True)):
            return True
        # a key inside a JSON document whose text is unknown until apply
        return _is_json_key(prop) and any(after_unknown.get(a) is True for a in JSON_DOCUMENTS)

    def configured(self, address: str, prop: str) -> bool:
        """Whether the configuration sets `prop` of `address` to a value that is not null,
        as far as the plan's `configuration` shows: a property set in a `dynamic` block, or
        through anything but variables, counts as set."""
        rc = self.changes.get(address)
        if rc is None:
            return False
        module, config = self._config(rc)
        if config is None:
            return True  # no configuration to read: cannot say it is unset
        expressions = config.get("expressions") or {}
        found = list(_find_expressions(expressions, prop))
        if found:
            return any(self._expression_set(e, module) for e in found)
        if _is_json_key(prop):
            docs = [expressions[a] for a in JSON_DOCUMENTS if a in expressions]
            return any(self._expression_set(e, module) for e in docs)
        # not in the configuration's expressions: set in a dynamic block (whose content the
        # plan's configuration omits), or not set at all
        change = rc.get("change") or {}
        for path in _paths_to(change.get("after_unknown") or {}, prop, unknown_only=True):
            if len(path) > 1 and path[0] not in expressions:
                return True
        return False

    def indirect(self, type_: str) -> str | None:
        """How a resource of `type_` names the resource it belongs to when it does so only
        through references terraform-compliance does not follow (a local, a variable, a
        module output, each.*): it then cannot tell which resource that is. None when every
        one names a resource directly, or names none (a literal name)."""
        for address in self.of_type(type_):
            _, config = self._config(self.changes[address])
            refs = list(_references((config or {}).get("expressions") or {}))
            if refs and all(r.split(".")[0] in INDIRECT for r in refs):
                return f"{address} names it through {refs[0]}"
        return None

    # -- configuration -------------------------------------------------------------------

    def _config(self, rc: dict) -> tuple[list[str], dict | None]:
        """(module call names from the root, the resource's configuration block)."""
        module = [
            part.split("[")[0]
            for part in _INDEX.sub("", rc.get("module_address") or "").split(".")
            if part and part != "module"
        ]
        node = self._module(module)
        if node is None:
            return module, None
        local = f"{rc.get('type')}.{rc.get('name')}"
        for res in node.get("resources") or []:
            if res.get("address") == local and res.get("mode", "managed") == "managed":
                return module, res
        return module, None

    def _module(self, path: list[str]) -> dict | None:
        node = self.root
        for name in path:
            node = ((node.get("module_calls") or {}).get(name) or {}).get("module")
            if node is None:
                return None
        return node

    def _expression_set(self, expr: Any, module: list[str]) -> bool:
        if not isinstance(expr, dict):
            return expr is not None
        if "constant_value" in expr:
            return expr["constant_value"] is not None
        refs = expr.get("references")
        if refs is None:
            return bool(expr)  # a nested block, or an object the plan spells out
        names = set()
        for ref in refs:
            if not ref.startswith("var."):
                return True  # a resource, a local, a module output...: set
            names.add(ref.split(".")[1])
        return any(self._variable_set(name, module) for name in names)

    def _variable_set(self, name: str, module: list[str]) -> bool:
        """Whether variable `name` of `module` has a non-null value."""
        if not module:
            return (self.variables.get(name) or {}).get("value") is not None
        parent = self._module(module[:-1]) or {}
        call = (parent.get("module_calls") or {}).get(module[-1]) or {}
        given = (call.get("expressions") or {}).get(name)
        if given is not None:
            return self._expression_set(given, module[:-1])
        declared = ((call.get("module") or {}).get("variables") or {}).get(name) or {}
        return declared.get("default") is not None


def _is_json_key(prop: str) -> bool:
    """IAM policy keys (Statement, Action, Principal, AWS...) start with a capital."""
    return prop[:1].isupper()


def _paths_to(node: Any, key: str, unknown_only: bool, path: tuple = ()) -> Iterator[tuple]:
    """Paths to `key` in a nested structure (to those marked True when `unknown_only`)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and (v is True or not unknown_only):
                yield (*path, k)
            else:
                yield from _paths_to(v, key, unknown_only, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths_to(v, key, unknown_only, (*path, i))


def _find_expressions(node: Any, key: str) -> Iterator[Any]:
    """Every expression of `key` in a resource's configuration (nested blocks are lists)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            elif isinstance(v, dict | list) and "references" not in v:
                yield from _find_expressions(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _find_expressions(v, key)


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "references" and isinstance(v, list):
                yield from (r for r in v if isinstance(r, str))
            else:
                yield from _references(v)
    elif isinstance(node, list):
        for v in node:
            yield from _references(v)
