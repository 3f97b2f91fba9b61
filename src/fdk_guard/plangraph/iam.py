"""IAM policy statements as the plan knows them, with unknown parts kept unknown.

A policy is read from its JSON when the plan knows it, else from the
`aws_iam_policy_document` data source it comes from: the data source's planned statements
(known actions, unknown resource ARNs) plus, for each unknown ARN, the resources its
configuration expression refers to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fdk_guard.plangraph import UNKNOWN, PlanGraph, Resource, is_unknown


@dataclass
class Statement:
    effect: str
    actions: list[str] | Any  # UNKNOWN when not known
    resources: list[Any] = field(default_factory=list)  # str | Resource | UNKNOWN
    principals: list[tuple[str, str]] | Any = field(default_factory=list)
    conditions: list[tuple[str, str, list[Any]]] = field(default_factory=list)
    not_actions: bool = False
    not_resources: bool = False
    source: str = ""

    @property
    def allows(self) -> bool:
        return self.effect.lower() == "allow"


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def from_json(text: str, source: str) -> list[Statement] | None:
    try:
        doc = json.loads(text)
    except (TypeError, ValueError):
        return None
    out = []
    for st in _as_list(doc.get("Statement")):
        principals: list[tuple[str, str]] = []
        raw_p = st.get("Principal")
        if raw_p == "*":
            principals.append(("AWS", "*"))
        elif isinstance(raw_p, dict):
            for ptype, ids in raw_p.items():
                principals += [(ptype, i) for i in _as_list(ids)]
        conditions = [
            (test, var, _as_list(vals))
            for test, body in (st.get("Condition") or {}).items()
            for var, vals in body.items()
        ]
        out.append(
            Statement(
                effect=st.get("Effect", "Allow"),
                actions=_as_list(st.get("Action")) or _as_list(st.get("NotAction")),
                resources=_as_list(st.get("Resource")) or _as_list(st.get("NotResource")),
                principals=principals,
                conditions=conditions,
                not_actions="NotAction" in st,
                not_resources="NotResource" in st,
                source=source,
            )
        )
    return out


def _doc_statements(graph: PlanGraph, doc: Resource) -> list[Statement] | None:
    text = doc.get("json")
    if isinstance(text, str):
        return from_json(text, doc.address)
    if doc.has_unknown("statement") and not isinstance(doc.get("statement"), list):
        return None
    for attr in ("source_policy_documents", "override_policy_documents"):
        if doc.get(attr) not in (None, [], UNKNOWN) or is_unknown(doc.get(attr)):
            return None  # merged documents: not followed at plan time
    cfg_blocks = (doc.config.get("expressions") or {}).get("statement") or []
    by_sid = {
        (b.get("sid") or {}).get("constant_value"): i
        for i, b in enumerate(cfg_blocks)
        if (b.get("sid") or {}).get("constant_value")
    }
    out = []
    for i, st in enumerate(doc.get("statement") or []):
        cfg_i = by_sid.get(st.get("sid")) if st.get("sid") else None
        if cfg_i is None and len(cfg_blocks) == len(doc.get("statement")):
            cfg_i = i
        actions = _known_list(doc, ("statement", i, "actions"))
        not_actions = _known_list(doc, ("statement", i, "not_actions"))
        resources = _known_list(doc, ("statement", i, "resources"))
        not_resources = _known_list(doc, ("statement", i, "not_resources"))
        resources = _resolve_items(graph, doc, cfg_i, "resources", resources)
        not_resources = _resolve_items(graph, doc, cfg_i, "not_resources", not_resources)
        principals: list[tuple[str, str]] | Any = []
        for j, p in enumerate(st.get("principals") or []):
            ids = _known_list(doc, ("statement", i, "principals", j, "identifiers"))
            ids = _resolve_items(graph, doc, cfg_i, ("principals", j, "identifiers"), ids)
            if any(is_unknown(x) for x in ids) or is_unknown(p.get("type")):
                principals = UNKNOWN
                break
            principals += [(p.get("type"), x) for x in ids]
        conditions = []
        for j, c in enumerate(st.get("condition") or []):
            vals = _known_list(doc, ("statement", i, "condition", j, "values"))
            vals = _resolve_items(graph, doc, cfg_i, ("condition", j, "values"), vals)
            conditions.append((c.get("test"), c.get("variable"), vals))
        out.append(
            Statement(
                effect=st.get("effect") or "Allow",
                actions=not_actions if not_actions and not is_unknown(not_actions) else actions,
                resources=(
                    not_resources if not_resources and not is_unknown(not_resources) else resources
                ),
                principals=principals,
                conditions=conditions,
                not_actions=bool(not_actions) and not is_unknown(not_actions),
                not_resources=bool(not_resources) and not is_unknown(not_resources),
                source=doc.address,
            )
        )
    return out


def _known_list(res: Resource, path: tuple) -> Any:
    value = res.get(*path)
    if is_unknown(value):
        return UNKNOWN
    if value is None:
        return []
    out = []
    for k, item in enumerate(value):
        out.append(UNKNOWN if is_unknown(res.get(*path, k)) else item)
    return out


def _resolve_items(graph, doc, cfg_i, attr, items) -> Any:
    """Replace unknown ARNs by the resources the configuration names, when it can."""
    if not is_unknown(items) and not any(is_unknown(x) for x in items):
        return items
    refs = None
    if cfg_i is not None:
        path = ("statement", cfg_i) + ((attr,) if isinstance(attr, str) else tuple(attr))
        refs = graph.ref_resources(doc, *path)
    known = [] if is_unknown(items) else [x for x in items if not is_unknown(x)]
    if not refs:
        return known + [UNKNOWN]
    return known + refs


def statements(graph: PlanGraph, res: Resource, attr: str = "policy") -> list[Statement] | None:
    """Statements of the policy in `res.attr`; None when the plan cannot show them."""
    text = res.get(attr)
    if isinstance(text, str):
        return from_json(text, res.address)
    docs = [r for r in graph.ref_resources(res, attr) or [] if r.type == "aws_iam_policy_document"]
    if len(docs) != 1:
        return None
    return _doc_statements(graph, docs[0])


def action_matches(pattern: str, action: str) -> bool:
    """IAM wildcard match of an action pattern (case-insensitive)."""
    import fnmatch

    return fnmatch.fnmatchcase(action.lower(), pattern.lower())
