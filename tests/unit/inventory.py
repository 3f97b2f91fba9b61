"""Plan summaries and inventory comparison (Fabric-style plan tests).

A *summary* is what a scenario's inventory is compared with: planned values by full address
(module path included), resource counts by type, and outputs. Values unknown until apply
become `UNKNOWN`; values the plan marks sensitive are wrapped in `Sensitive`, whose text is
never shown. Container definitions (a JSON string in the plan) are decoded into a mapping by
container name, with `environment` and `secrets` turned into name -> value mappings.

An *inventory* is YAML: `values` (address -> partial mapping), `counts` (type -> number) and
`outputs` (name -> value). Mappings match partially; lists match in order unless tagged.
Tags: !absent, !unknown, !sensitive, !contains, !set, !regex, !len (see README-unit).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fdk_guard.terraform.sensitive import DIGEST_KEY, sensitive_digest

# Root outputs a scenario copy may add (tests/unit/expose/) to show what a resource's
# planned attribute cannot: the container list before jsonencode, whose known parts stay
# known when a secret ARN is not. Value: {task definition address: [container, ...]}.
EXPOSED_CONTAINERS_OUTPUT = "fdk_unit_containers"
# {address: {key: value}}: extra keys for a planned resource (null values are not added).
EXPOSED_VALUES_OUTPUT = "fdk_unit_values"
HIDDEN_OUTPUT_PREFIX = "fdk_unit_"


class _Unknown:
    def __repr__(self) -> str:
        return "(known after apply)"


UNKNOWN = _Unknown()


class Sensitive:
    """A value the plan marks sensitive: comparable, never shown."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "(sensitive value)"


# --- inventory tags ----------------------------------------------------------------------


@dataclass(frozen=True)
class Absent:
    """Expect the key, address or output not to exist (or to be null/empty)."""


@dataclass(frozen=True)
class ExpectUnknown:
    """Expect a value unknown until apply."""


@dataclass(frozen=True)
class ExpectSensitive:
    """Expect a value the plan marks sensitive (whatever it is)."""


@dataclass(frozen=True)
class Contains:
    """A list holding (at least) items matching each of these, or a string holding this."""

    items: Any


@dataclass(frozen=True)
class SameSet:
    """A list with exactly these items, in any order."""

    items: tuple


@dataclass(frozen=True)
class Regex:
    pattern: str


@dataclass(frozen=True)
class Length:
    n: int


class InventoryLoader(yaml.SafeLoader):
    """YAML loader knowing the inventory tags."""


def _scalar(loader, node):
    return loader.construct_scalar(node)


InventoryLoader.add_constructor("!absent", lambda loader, node: Absent())
InventoryLoader.add_constructor("!unknown", lambda loader, node: ExpectUnknown())
InventoryLoader.add_constructor("!sensitive", lambda loader, node: ExpectSensitive())
InventoryLoader.add_constructor("!regex", lambda loader, node: Regex(_scalar(loader, node)))
InventoryLoader.add_constructor("!len", lambda loader, node: Length(int(_scalar(loader, node))))
InventoryLoader.add_constructor(
    "!set", lambda loader, node: SameSet(tuple(loader.construct_sequence(node, deep=True)))
)


def _contains(loader, node):
    if isinstance(node, yaml.SequenceNode):
        return Contains(tuple(loader.construct_sequence(node, deep=True)))
    return Contains(_scalar(loader, node))


InventoryLoader.add_constructor("!contains", _contains)

INVENTORY_KEYS = {"description", "covers", "values", "counts", "outputs"}


def load_inventory(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(), Loader=InventoryLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as err:
        # e.g. a tag right before "}" in flow style: write "!absent }" (YAML needs the space)
        raise ValueError(f"{path}: not valid inventory YAML: {' '.join(str(err).split())}") from err
    if not isinstance(data, dict):
        raise ValueError(f"{path}: an inventory is a mapping")
    unknown = set(data) - INVENTORY_KEYS
    if unknown:
        raise ValueError(
            f"{path}: unknown keys {sorted(unknown)}; allowed {sorted(INVENTORY_KEYS)}"
        )
    return data


# --- summary -------------------------------------------------------------------------------


@dataclass
class Summary:
    values: dict[str, Any] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    outputs: dict[str, Any] = field(default_factory=dict)


def overlay(value: Any, unknown: Any, sensitive: Any) -> Any:
    """Planned value with UNKNOWN where after_unknown says so and Sensitive wrappers."""
    if unknown is True:
        return UNKNOWN
    if sensitive is True:
        return Sensitive(value)
    if value is None and not _has_unknown(unknown):
        return None
    if isinstance(unknown, dict) or isinstance(value, dict):
        value = value if isinstance(value, dict) else {}
        unknown = unknown if isinstance(unknown, dict) else {}
        sensitive = sensitive if isinstance(sensitive, dict) else {}
        keys = list(value) + [k for k in unknown if k not in value]
        return {k: overlay(value.get(k), unknown.get(k), sensitive.get(k)) for k in keys}
    if isinstance(unknown, list) or isinstance(value, list):
        value = value if isinstance(value, list) else []
        unknown = unknown if isinstance(unknown, list) else []
        sensitive = sensitive if isinstance(sensitive, list) else []
        size = max(len(value), len(unknown))
        return [
            overlay(
                value[i] if i < len(value) else None,
                unknown[i] if i < len(unknown) else None,
                sensitive[i] if i < len(sensitive) else None,
            )
            for i in range(size)
        ]
    return value


def _has_unknown(unknown: Any) -> bool:
    if isinstance(unknown, dict):
        return any(_has_unknown(v) for v in unknown.values())
    if isinstance(unknown, list):
        return any(_has_unknown(v) for v in unknown)
    return unknown is True


def _pairs_to_mapping(items: Any, value_key: str) -> Any:
    """ECS name/value pair lists -> {name: value}; anything else is returned as is."""
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("name"), str) for i in items
    ):
        return items
    return {i["name"]: i.get(value_key) for i in items}


def normalize_containers(containers: Any) -> Any:
    """Container definitions (JSON text or list) -> {container name: definition}."""
    if isinstance(containers, str):
        try:
            containers = json.loads(containers)
        except json.JSONDecodeError:
            return containers
    if not isinstance(containers, list):
        return containers
    result = {}
    for index, container in enumerate(containers):
        if not isinstance(container, dict):
            return containers
        container = dict(container)
        container["environment"] = _pairs_to_mapping(container.get("environment") or [], "value")
        container["secrets"] = _pairs_to_mapping(container.get("secrets") or [], "valueFrom")
        name = container.get("name")
        result[name if isinstance(name, str) else f"#{index}"] = container
    return result


def _data_sources(module: dict):
    for resource in module.get("resources", []):
        if resource.get("mode") == "data":
            yield resource
    for child in module.get("child_modules", []):
        yield from _data_sources(child)


def summarize(plan: dict) -> Summary:
    """Summary of a `terraform show -json` plan document."""
    summary = Summary()
    for change in plan.get("resource_changes", []):
        actions = change.get("change", {}).get("actions", [])
        if actions in (["delete"], ["forget"]):
            continue
        body = change.get("change", {})
        value = overlay(body.get("after"), body.get("after_unknown"), body.get("after_sensitive"))
        if change.get("mode") == "managed":
            summary.counts[change["type"]] += 1
        if isinstance(value, dict) and isinstance(value.get("container_definitions"), str):
            value["container_definitions"] = normalize_containers(value["container_definitions"])
        summary.values[change["address"]] = value
    prior = plan.get("prior_state", {}).get("values", {}).get("root_module", {})
    for resource in _data_sources(prior):
        summary.values.setdefault(
            resource["address"],
            overlay(resource.get("values"), None, resource.get("sensitive_values")),
        )
    for name, change in plan.get("output_changes", {}).items():
        value = overlay(change.get("after"), change.get("after_unknown"), None)
        if change.get("after_sensitive") is True:
            value = Sensitive(value)
        summary.outputs[name] = value
    _apply_exposed_outputs(summary)
    return summary


def _apply_exposed_outputs(summary: Summary) -> None:
    """Fold the tests' exposed outputs (tests/unit/expose/) into the resources' values."""
    exposed = summary.outputs.pop(EXPOSED_CONTAINERS_OUTPUT, None)
    extra = summary.outputs.pop(EXPOSED_VALUES_OUTPUT, None)
    for name in [n for n in summary.outputs if n.startswith(HIDDEN_OUTPUT_PREFIX)]:
        summary.outputs.pop(name)
    for address, keys in (extra if isinstance(extra, dict) else {}).items():
        resource = summary.values.get(address)
        if isinstance(resource, dict) and isinstance(keys, dict):
            resource.update({k: v for k, v in keys.items() if v is not None})
    if not isinstance(exposed, dict):
        return
    for address, containers in exposed.items():
        resource = summary.values.get(address)
        if isinstance(resource, dict) and resource.get("container_definitions") is UNKNOWN:
            resource["container_definitions"] = normalize_containers(containers)


# --- comparison ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    where: str  # address, "counts" or "output <name>"
    key: str  # dotted path inside it ("" for the whole)
    expected: str
    found: str

    def __str__(self) -> str:
        key = f" {self.key}" if self.key else ""
        return f"{self.where}{key}: expected {self.expected}, found {self.found}"


def show(value: Any) -> str:
    """Printable form of a found or expected value; sensitive parts never shown."""
    if isinstance(value, Sensitive):
        return "(sensitive value)"
    if value is UNKNOWN:
        return "(known after apply)"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, Absent):
        return "nothing (absent)"
    if isinstance(value, ExpectUnknown):
        return "a value known only after apply"
    if isinstance(value, ExpectSensitive):
        return "a sensitive value"
    if isinstance(value, Contains):
        return f"something containing {show(value.items)}"
    if isinstance(value, SameSet):
        return f"the set {show(list(value.items))}"
    if isinstance(value, Regex):
        return f"a match for /{value.pattern}/"
    if isinstance(value, Length):
        return f"{value.n} items"
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _is_digest(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {DIGEST_KEY}


def _digest(expected: Any) -> str:
    """Digest of an expected value, as the planner digests sensitive plan values."""
    return sensitive_digest(expected)[DIGEST_KEY]


def _is_absent(found: Any) -> bool:
    return found is None or found == [] or found == {} or found == ""


def _decode_if_json(expected: Any, found: Any) -> Any:
    if isinstance(expected, dict | list | Contains | SameSet | Length) and isinstance(found, str):
        try:
            return json.loads(found)
        except json.JSONDecodeError:
            return found
    return found


def _join(key: str, part: Any) -> str:
    if isinstance(part, int):
        return f"{key}[{part}]"
    return f"{key}.{part}" if key else str(part)


def compare(expected: Any, found: Any, where: str, key: str = "") -> list[Mismatch]:
    """Mismatches between an expected (inventory) value and a found (summary) value."""
    secret = isinstance(found, Sensitive)

    def miss(exp_text: str | None = None) -> list[Mismatch]:
        exp = exp_text if exp_text is not None else show(expected)
        if secret and not isinstance(expected, ExpectSensitive | Absent):
            exp = "(sensitive value)"
        return [Mismatch(where, key, exp, show(found))]

    if isinstance(expected, Absent):
        return [] if _is_absent(found) else miss()
    if isinstance(expected, ExpectSensitive):
        return [] if secret else miss()
    if isinstance(expected, ExpectUnknown):
        return [] if found is UNKNOWN else miss()
    if found is UNKNOWN:
        return miss()
    if secret:
        if _is_digest(found.value):  # stored plans keep only a digest of sensitive values
            return [] if _digest(expected) == found.value[DIGEST_KEY] else miss()
        inner = compare(expected, found.value, where, key)
        return miss() if inner else []
    found = _decode_if_json(expected, found)
    if isinstance(expected, Regex):
        ok = isinstance(found, str) and re.search(expected.pattern, found)
        return [] if ok else miss()
    if isinstance(expected, Length):
        ok = isinstance(found, list | dict | str) and len(found) == expected.n
        return [] if ok else miss(f"{expected.n} items")
    if isinstance(expected, Contains):
        return _compare_contains(expected, found, where, key, miss)
    if isinstance(expected, SameSet):
        if not isinstance(found, list) or len(found) != len(expected.items):
            return miss()
        remaining = list(found)
        for item in expected.items:
            hit = next((f for f in remaining if not compare(item, f, where, key)), _NO_HIT)
            if hit is _NO_HIT:
                return miss()
            remaining.remove(hit)
        return []
    if isinstance(expected, dict):
        if not isinstance(found, dict):
            return miss()
        mismatches: list[Mismatch] = []
        for k, sub in expected.items():
            if k not in found:
                if not isinstance(sub, Absent):
                    mismatches.append(Mismatch(where, _join(key, k), show(sub), "no such key"))
                continue
            mismatches += compare(sub, found[k], where, _join(key, k))
        return mismatches
    if isinstance(expected, list):
        if not isinstance(found, list) or len(found) != len(expected):
            return miss()
        mismatches = []
        for index, (sub, item) in enumerate(zip(expected, found, strict=True)):
            mismatches += compare(sub, item, where, _join(key, index))
        return mismatches
    if isinstance(expected, float | int) and not isinstance(expected, bool):
        ok = isinstance(found, float | int) and not isinstance(found, bool) and found == expected
        return [] if ok else miss()
    return [] if found == expected and type(found) is type(expected) else miss()


_NO_HIT = object()


def _compare_contains(expected: Contains, found: Any, where: str, key: str, miss):
    if isinstance(expected.items, str):
        return [] if isinstance(found, str) and expected.items in found else miss()
    if not isinstance(found, list):
        return miss()
    for item in expected.items:
        if all(compare(item, f, where, key) for f in found):
            return miss(f"a list containing {show(item)}")
    return []


def compare_inventory(inventory: dict, summary: Summary) -> list[Mismatch]:
    """Every mismatch between a scenario's inventory and its plan summary."""
    mismatches: list[Mismatch] = []
    for address, expected in (inventory.get("values") or {}).items():
        if address not in summary.values:
            if not isinstance(expected, Absent):
                mismatches.append(Mismatch(address, "", "a planned resource", "none planned"))
            continue
        if isinstance(expected, Absent):
            mismatches.append(Mismatch(address, "", "no such resource", "a planned resource"))
            continue
        mismatches += compare(expected, summary.values[address], address)
    for rtype, count in (inventory.get("counts") or {}).items():
        found = summary.counts.get(rtype, 0)
        if found != count:
            mismatches.append(Mismatch("counts", rtype, str(count), str(found)))
    for name, expected in (inventory.get("outputs") or {}).items():
        if name not in summary.outputs:
            if not isinstance(expected, Absent):
                mismatches.append(Mismatch(f"output {name}", "", show(expected), "no such output"))
            continue
        if isinstance(expected, Absent):
            mismatches.append(Mismatch(f"output {name}", "", "no such output", "an output"))
            continue
        mismatches += compare(expected, summary.outputs[name], f"output {name}")
    return mismatches


def report(scenario: str, mismatches: list[Mismatch]) -> str:
    lines = [f"scenario {scenario}: {len(mismatches)} mismatch(es) with its inventory"]
    lines += [f"  {m}" for m in mismatches]
    return "\n".join(lines)
