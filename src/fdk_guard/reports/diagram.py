"""The planned deployment as a Mermaid flowchart, coloured by the findings.

    render(graph, rows, controls) -> Mermaid text, or None when the plan has none of the parts

The boxes and arrows come from the plan graph (fdk_guard.reports.deployment). Each box
carries the worst status, among the controls with findings about its members, of
`verdicts.control_status` over those findings; an arrow carries the status of the controls
about the path it stands for (the port-80 listener, a task's public IP...), and a failing
arrow is drawn red. A finding names its resource by address (instance keys dropped to match
the box), or by URL or DNS name (matched to the box answering that name).
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlparse

from fdk_guard import verdicts
from fdk_guard.catalogue import Control
from fdk_guard.findings import Finding
from fdk_guard.plangraph import PlanGraph
from fdk_guard.reports.deployment import MAX_PER_KIND, Model, Node, build, group

__all__ = ["MAX_PER_KIND", "Judge", "render", "to_mermaid"]

MAX_ADDRESS = 56
DRAWN = ("alb", "service", "db", "cdn")  # a diagram needs one of these

WORDS = {"not_applicable": "n/a", None: "not judged"}
CLASSES = {  # Mermaid classDef per status; an unknown (future) status gets "other"
    "fail": "fill:#fde2e1,stroke:#c62828,stroke-width:2px,color:#000",
    "deferred": "fill:#fff4ce,stroke:#b7791f,color:#000",
    "waived": "fill:#e3ecfb,stroke:#1e5bb8,color:#000",
    "pass": "fill:#e3f6e5,stroke:#2e7d32,color:#000",
    "not_applicable": "fill:#eeeeee,stroke:#9e9e9e,color:#000",
    "none": "fill:#ffffff,stroke:#9e9e9e,stroke-dasharray:4 3,color:#000",
    "other": "fill:#f3e5f5,stroke:#6a1b9a,color:#000",
}
EDGE_STYLE = {
    "fail": "stroke:#c62828,stroke-width:3px,color:#c62828",
    "deferred": "stroke:#b7791f,stroke-width:2px",
}
TIER_FILL = {
    "fail": "fill:#fff5f5,stroke:#c62828",
    "deferred": "fill:#fffbeb,stroke:#b7791f",
}
SHAPES = {
    "box": ('["', '"]'),
    "db": ('[("', '")]'),
    "circle": ('(("', '"))'),
    "hex": ('{{"', '"}}'),
    "stadium": ('(["', '"])'),
}


def _key(resource: str) -> str:
    """What a finding is about, as box members name it: a group address or a DNS name."""
    if "://" in resource:
        return (urlparse(resource).hostname or "").lower()
    return group(resource).lower().rstrip(".")


# --- statuses from the findings -------------------------------------------------------


def _worst(statuses: list[str | None]) -> str | None:
    known = verdicts.worst(statuses)
    if known is not None:
        return known
    other = sorted(s for s in statuses if s)  # a status this module does not know yet
    return other[0] if other else None


class Judge:
    """Statuses of boxes and arrows from the findings about their members."""

    def __init__(self, rows: list[Finding], controls: dict[str, Control]):
        self.controls = controls
        ours = [r for r in rows if r.control in controls]
        self.by_key: dict[str, list[Finding]] = defaultdict(list)
        for row in ours:
            self.by_key[_key(row.resource)].append(row)
            if "[" in row.resource:  # an arrow may name one instance
                self.by_key[row.resource.lower()].append(row)
        by_control = verdicts.by_control(ours)
        self.overall = {
            cid: verdicts.control_status(rs, tuple(controls[cid].partial))
            for cid, rs in by_control.items()
        }

    def status(self, members: set[str], only: tuple[str, ...] = ()) -> str | None:
        per: dict[str, list[Finding]] = defaultdict(list)
        for key in members:
            for row in self.by_key.get(key, ()):
                if not only or row.control in only:
                    per[row.control].append(row)
        found = []
        for cid, rs in per.items():
            status = verdicts.control_status(rs, tuple(self.controls[cid].partial))
            # a plan-time deferral the after-apply engines settled for the whole control
            if status == "deferred" and self.overall.get(cid) == "pass":
                status = "pass"
            found.append(status)
        return _worst(found)


# --- Mermaid text ---------------------------------------------------------------------


def _text(value: str) -> str:
    """Safe inside a quoted Mermaid label."""
    value = value.replace("#", "#35;").replace('"', "#quot;")
    return value.replace("<", "#lt;").replace(">", "#gt;")


def _short(address: str) -> str:
    if len(address) <= MAX_ADDRESS:
        return address
    return "…" + address[-(MAX_ADDRESS - 1) :]


def _word(status: str | None) -> str:
    return WORDS.get(status, status or "not judged")


def _class(status: str | None) -> str:
    if status is None:
        return "none"
    return status if status in CLASSES else "other"


def _node_line(node: Node, status: str | None) -> str:
    if node.kind == "internet":
        return f'{node.id}(("Internet"))'
    count = f" ×{node.count}" if node.count > 1 else ""
    lines = [f"{_text(node.title)}{count} — {_word(status)}", _text(_short(node.address))]
    lines += [_text(f) for f in node.facts[:3]]
    left, right = SHAPES.get(node.shape, SHAPES["box"])
    return f"{node.id}{left}{'<br/>'.join(lines)}{right}"


def _vpc(model: Model, judge: Judge, statuses: dict) -> tuple[list[str], dict[str, str | None]]:
    """The VPC subgraph with a subgraph per subnet tier, each titled with its status."""
    inside = [n for n in model.nodes if n.tier in ("public", "private", "mixed")]
    if not inside:
        return [], {}
    found = {"vpc": judge.status(model.tiers.get("vpc", set()))}
    word = f" — {_word(found['vpc'])}" if found["vpc"] else ""
    out = [f'  subgraph vpc["VPC{word}"]']
    for tier in ("public", "private"):
        mine = [n for n in inside if n.tier == tier]
        if not mine:
            continue
        found[tier] = judge.status(model.tiers.get(tier, set()))
        zones = len(model.azs.get(tier, ()))
        where = f" · {zones} AZs" if zones > 1 else ""
        word = f" — {_word(found[tier])}" if found[tier] else ""
        out.append(f'    subgraph {tier}["{tier} subnets{where}{word}"]')
        out += [f"      {_node_line(n, statuses.get(n.id))}" for n in mine]
        out.append("    end")
    out += [f"    {_node_line(n, statuses.get(n.id))}" for n in inside if n.tier == "mixed"]
    return [*out, "  end"], found


def _arrows(model: Model, judge: Judge) -> list[str]:
    """The arrows, then a linkStyle (by drawing order) for each failing or deferred one."""
    lines, styles = [], []
    for i, edge in enumerate(model.edges):
        status = judge.status(edge.members, edge.controls)
        label = edge.label + (" — fail" if status == "fail" else "")
        arrow = "-.->" if edge.exposure else "-->"
        lines.append(f'  {edge.src} {arrow}|"{_text(label)}"| {edge.dst}')
        if status in EDGE_STYLE:
            styles.append(f"  linkStyle {i} {EDGE_STYLE[status]}")
    return lines + styles


def to_mermaid(model: Model, judge: Judge) -> str:
    statuses = {n.id: judge.status(n.members) for n in model.nodes if n.kind != "internet"}
    vpc, tier_status = _vpc(model, judge, statuses)
    outside = [n for n in model.nodes if n.tier not in ("public", "private", "mixed")]
    out = ["flowchart LR", *[f"  {_node_line(n, statuses.get(n.id))}" for n in outside], *vpc]
    out += _arrows(model, judge)
    out += [f"  classDef {name} {style}" for name, style in CLASSES.items()]
    by_class: dict[str, list[str]] = defaultdict(list)
    for node_id, status in statuses.items():
        by_class[_class(status)].append(node_id)
    out += [f"  class {','.join(ids)} {name}" for name, ids in by_class.items()]
    if any(n.kind == "internet" for n in model.nodes):
        out.append("  style internet fill:#ffffff,stroke:#555,color:#000")
    out += [f"  style {t} {TIER_FILL[s]}" for t, s in tier_status.items() if s in TIER_FILL]
    return "\n".join(out) + "\n"


def render(g: PlanGraph, rows: list[Finding], controls: dict[str, Control]) -> str | None:
    """The Mermaid flowchart of `g` coloured by `rows`; None when there is nothing to draw."""
    model = build(g)
    if not any(n.kind in DRAWN for n in model.nodes):
        return None
    return to_mermaid(model, Judge(rows, controls))
