"""Values the plan graph hands to checks: plain JSON-like data, with `Unknown` leaves.

An `Unknown` is a value Terraform only learns at apply time, or one fdk-guard cannot
evaluate. It says why (`reason`), which resource instances it comes from (`deps`), and,
when it is exactly one attribute of one instance (an ID, an ARN), which (`ref`). A string
built around unknowns keeps its pieces (`parts`), and a `jsonencode` of a structure
holding unknowns keeps the structure (`doc`), so checks can still read the known parts.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = [
    "EvalError",
    "Unknown",
    "UNKNOWN",
    "is_unknown",
    "is_scalar_unknown",
    "deps_of",
    "has_unknown",
    "partial_json",
]


class EvalError(Exception):
    """An expression fails, as it would in Terraform (try() and can() catch it)."""


AFTER_APPLY = "known after apply"  # an unknown's reason when Terraform itself says so


class Unknown:
    __slots__ = ("deps", "ref", "reason", "parts", "doc", "configured_null")

    def __init__(
        self,
        deps: frozenset[str] = frozenset(),
        ref: tuple[str, tuple] | None = None,
        reason: str = AFTER_APPLY,
        parts: tuple | None = None,
        doc: Any = None,
        configured_null: bool = False,
    ):
        self.deps = deps
        self.ref = ref  # (instance address, attribute path) when exactly that attribute
        self.reason = reason
        self.parts = parts  # a template: str and Unknown pieces
        self.doc = doc  # the structure a jsonencode() would have printed
        # the configuration sets it to null: the provider's default applies at apply time
        self.configured_null = configured_null

    @property
    def after_apply(self) -> bool:
        """Exactly one instance attribute, known after apply (not unknown for another
        reason, such as an offline lookup)."""
        return bool(self.ref) and self.reason == AFTER_APPLY

    def __repr__(self) -> str:
        if self.after_apply:
            return f"(known after apply: {self.ref[0]}.{'.'.join(map(str, self.ref[1]))})"
        return f"({self.reason})"

    def __bool__(self) -> bool:  # an unknown must never pass for a decided value
        raise TypeError("an unknown plan value has no truth value; test is_unknown() first")

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    @property
    def address(self) -> str | None:
        return self.ref[0] if self.ref else None

    @classmethod
    def of(cls, *values: Any, reason: str = AFTER_APPLY) -> Unknown:
        """An unknown derived from `values` (their dependencies, none of their identity)."""
        deps: set[str] = set()
        for v in values:
            deps |= deps_of(v)
        return cls(frozenset(deps), reason=reason)


UNKNOWN: Any = Unknown()


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def deps_of(value: Any) -> set[str]:
    """Every instance address an unknown inside `value` depends on."""
    if isinstance(value, Unknown):
        found = set(value.deps)
        if value.ref:
            found.add(value.ref[0])
        for p in value.parts or ():
            found |= deps_of(p)
        if value.doc is not None:
            found |= deps_of(value.doc)
        return found
    if isinstance(value, dict):
        out: set[str] = set()
        for v in value.values():
            out |= deps_of(v)
        return out
    if isinstance(value, list | tuple):
        out = set()
        for v in value:
            out |= deps_of(v)
        return out
    return set()


def is_scalar_unknown(value: Any) -> bool:
    """An unknown that is certainly one string (an ID, an ARN, a template, a document),
    never a list: list functions may treat it as one element."""
    return isinstance(value, Unknown) and (
        value.ref is not None or value.parts is not None or value.doc is not None
    )


def has_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(has_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(has_unknown(v) for v in value)
    return False


_TOKEN = re.compile(r"@@fdk-unknown-(\d+)@@")


def partial_json(parts: tuple) -> Any:
    """The document a JSON template built around unknown pieces will be, with those pieces
    as Unknown leaves (a string holding one keeps its other parts); None if it is not JSON.

    Each unknown becomes a token: a bare one inside a JSON string, a quoted one where a
    value stands, and the structure of a jsonencode() unknown (its `doc`) where it has one.
    """
    unknowns: list[Unknown] = []

    def token(u: Unknown) -> str:
        unknowns.append(u)
        return f"@@fdk-unknown-{len(unknowns) - 1}@@"

    def dumped(node: Any) -> str:  # a doc's JSON text, its unknown leaves as tokens
        if isinstance(node, Unknown):
            return json.dumps(token(node))
        if isinstance(node, dict):
            return "{" + ",".join(f"{json.dumps(k)}:{dumped(v)}" for k, v in node.items()) + "}"
        if isinstance(node, list | tuple):
            return "[" + ",".join(dumped(v) for v in node) + "]"
        return json.dumps(node)

    text, quoted = [], False
    for part in parts:
        if isinstance(part, str):
            text.append(part)
            escaped = False
            for ch in part:  # are we inside a JSON string after this piece?
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = quoted
                elif ch == '"':
                    quoted = not quoted
        elif quoted:
            text.append(token(part))
        elif part.doc is not None:
            text.append(dumped(part.doc))
        else:
            text.append(json.dumps(token(part)))
    try:
        doc = json.loads("".join(text))
    except ValueError:
        return None

    def back(node: Any) -> Any:
        if isinstance(node, str) and "@@fdk-unknown-" in node:
            pieces = _TOKEN.split(node)
            out = [unknowns[int(p)] if i % 2 else p for i, p in enumerate(pieces)]
            out = [p for p in out if p != ""]
            if len(out) == 1:
                return out[0]
            return Unknown(
                frozenset(deps_of(out)),
                reason="a string built from values known after apply",
                parts=tuple(out),
            )
        if isinstance(node, dict):
            return {k: back(v) for k, v in node.items()}
        if isinstance(node, list):
            return [back(v) for v in node]
        return node

    return back(doc)
