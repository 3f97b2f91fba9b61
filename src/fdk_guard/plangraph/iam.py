"""IAM policy statements from a plan graph, with unknown parts kept unknown.

A policy is read from its JSON when the plan knows it, else from what the configuration
builds at apply time (a `jsonencode`, an `aws_iam_policy_document`): known actions, and
resource ARNs that are `Unknown` leaves naming the instance attribute they come from.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

from fdk_guard.plangraph import PlanGraph, Resource, Unknown, is_unknown


@dataclass
class Statement:
    effect: str
    actions: list[Any] | Any  # strings; an Unknown when the list itself is unknown
    resources: list[Any] = field(default_factory=list)  # str | Unknown
    principals: list[tuple[str, Any]] | Any = field(default_factory=list)
    conditions: list[tuple[str, str, list[Any]]] = field(default_factory=list)
    not_actions: bool = False
    not_resources: bool = False
    source: str = ""

    @property
    def allows(self) -> bool:
        return str(self.effect).lower() == "allow"


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def from_document(doc: Any, source: str) -> list[Statement] | None:
    """Statements of a policy document (parsed JSON); None when its shape is unknown."""
    if is_unknown(doc) or not isinstance(doc, dict):
        return None
    raw = doc.get("Statement")
    if is_unknown(raw):
        return None
    out = []
    for st in _as_list(raw):
        if not isinstance(st, dict):
            return None
        principals: list[tuple[str, Any]] | Any = []
        raw_p = st.get("Principal", st.get("NotPrincipal"))
        if raw_p == "*":
            principals = [("AWS", "*")]
        elif isinstance(raw_p, dict):
            for ptype, ids in raw_p.items():
                principals += [(ptype, i) for i in _as_list(ids)]
        elif is_unknown(raw_p):
            principals = raw_p
        conditions = []
        cond = st.get("Condition") or {}
        if isinstance(cond, dict):
            for test, body in cond.items():
                if isinstance(body, dict):
                    conditions += [(test, var, _as_list(vals)) for var, vals in body.items()]
        actions = st.get("Action", st.get("NotAction"))
        resources = st.get("Resource", st.get("NotResource"))
        out.append(
            Statement(
                effect=st.get("Effect", "Allow") if not is_unknown(st.get("Effect")) else "Allow",
                actions=actions if is_unknown(actions) else _as_list(actions),
                # an unknown list of resources is one unknown resource to the checks
                resources=[resources] if is_unknown(resources) else _as_list(resources),
                principals=principals,
                conditions=conditions,
                not_actions="NotAction" in st,
                not_resources="NotResource" in st,
                source=source,
            )
        )
    return out


def statements(graph: PlanGraph, res: Resource, attr: str = "policy") -> list[Statement] | None:
    """Statements of the policy in `res.attr`; None when neither the plan nor the
    configuration can show them."""
    doc = graph.document(res, attr)
    if isinstance(doc, Unknown):
        return None
    return from_document(doc, res.address)


def action_matches(pattern: str, action: str) -> bool:
    """IAM wildcard match of an action pattern (case-insensitive)."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def arn_target(graph: PlanGraph, value: Any, *types: str) -> tuple[Resource, str] | None:
    """(resource, suffix) for an ARN built from a resource's ARN: `aws_s3_bucket.b.arn`
    gives (b, ""), `"${aws_s3_bucket.b.arn}/*"` gives (b, "/*"); None otherwise."""
    if isinstance(value, Unknown):
        if value.ref:
            hits = graph.targets(value, *types)
            return (hits[0], "") if hits else None
        parts = value.parts or ()
        if parts and isinstance(parts[0], Unknown) and all(isinstance(p, str) for p in parts[1:]):
            hits = graph.targets(parts[0], *types)
            return (hits[0], "".join(parts[1:])) if hits else None
    return None
