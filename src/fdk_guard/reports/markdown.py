"""summary.md: a pull-request comment / $GITHUB_STEP_SUMMARY view of the findings.

The deployment's diagram first (when the plan is known), then one row per catalogue control
(status per engine, failing resources and why, and for a failure what to change); checkov's
built-in checks (CKV_*) in a section of their own; controls nobody judged say so; the
waivers (in use, expired, stale) in a table of their own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from fdk_guard import verdicts
from fdk_guard.catalogue import Control
from fdk_guard.findings import ENGINES, Finding

ICON = {"fail": "❌", "deferred": "⏳", "waived": "🔕", "pass": "✅", "not_applicable": "➖"}
WORD = {
    "fail": "fail",
    "deferred": "deferred",
    "waived": "waived",
    "pass": "pass",
    "not_applicable": "n/a",
}
ORDER = ("fail", "deferred", "waived", "pass", "not_applicable")  # worst first (verdicts.ORDER)
WAIVER_STATE = {
    "in use": "🔕 in use",
    "expired": "⌛ expired: waives nothing",
    "stale": "🧹 stale: matches no failing finding",
    "not judged": "⚪ its control was not judged",
}
MAX_DETAILS = 5
MAX_MESSAGE = 160
# GitHub rejects comments over 65536 characters.
MAX_LENGTH = 60000
ACTIONS = ("create", "update", "replace", "delete", "no-op")
DIAGRAM_NOTE = (
    "Drawn from the plan. Each box takes the worst status of the controls about its resources"
    " (fail, deferred, pass, n/a; not judged: no finding names it); a red arrow is a path that"
    " fails a control, a dashed one a path that should not exist."
)


def verdict(rows: list[Finding]) -> str | None:
    """The worst status among rows: one fail fails; deferred is never a pass."""
    statuses = {r.status for r in rows}
    return next((s for s in ORDER if s in statuses), None)


def control_verdict(rows: list[Finding], partial=()) -> str | None:
    """A control's status across engines and sessions (fdk_guard.verdicts)."""
    return verdicts.control_status(rows, partial)


def _undecided(rows: list[Finding]) -> list[Finding]:
    decided = {r.resource for r in rows if r.status == "pass"}
    return [r for r in rows if r.status == "deferred" and r.resource not in decided]


def _cell(text: str, limit: int = MAX_MESSAGE) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _badge(status: str | None) -> str:
    return f"{ICON.get(status, '•')} {WORD.get(status, status)}" if status else "—"


def _details(rows: list[Finding]) -> str:
    failing = [r for r in rows if r.status == "fail"]
    shown = [f"`{_cell(r.resource, 80)}`: {_cell(r.message)}" for r in failing[:MAX_DETAILS]]
    if len(failing) > MAX_DETAILS:
        shown.append(f"… and {len(failing) - MAX_DETAILS} more")
    if not failing:
        deferred = _undecided(rows)
        shown = [f"⏳ `{_cell(r.resource, 80)}`: {_cell(r.message)}" for r in deferred[:2]]
    shown += [_waived(r) for r in rows if r.status == "waived"][:MAX_DETAILS]
    return "<br>".join(shown)


def _waived(row: Finding) -> str:
    w = row.waiver or {}
    who = f"owner {_cell(w.get('owner', '?'), 60)}, expires {_cell(w.get('expires', '?'), 12)}"
    return f"🔕 `{_cell(row.resource, 80)}`: waived ({who}): {_cell(w.get('reason', ''))}"


def _waivers(reviews: Sequence) -> list[str]:
    """The waivers' table: each with its state, owner and expiry; stale ones as rows too."""
    out = ["", "### Waivers", ""]
    out += [
        "| Control | Resource | Owner | Expires | State | Reason |",
        "|---|---|---|---|---|---|",
    ]
    for r in reviews:
        w = r.waiver
        state = WAIVER_STATE.get(r.state, r.state)
        if r.state == "in use":
            state += f" ({r.matched} finding{'s' if r.matched != 1 else ''})"
        cells = [w.control, f"`{_cell(w.resource, 80)}`", _cell(w.owner, 60), str(w.expires)]
        out.append("| " + " | ".join([*cells, state, _cell(w.reason)]) + " |")
    return out


def _fix(control: Control) -> str:
    return f"<br>🔧 **Fix:** {_cell(control.remediation, 600)}" if control.remediation else ""


def _diagram(source: str) -> list[str]:
    return [
        "",
        "```mermaid",
        source.rstrip("\n"),
        "```",
        "",
        f"<sub>{DIAGRAM_NOTE}</sub>",
    ]


def _planned(types: dict[str, Counter]) -> list[str]:
    actions = [a for a in ACTIONS if any(c[a] for c in types.values())]
    out = ["", "<details><summary>Planned resources by type</summary>", ""]
    out += ["| type | " + " | ".join(actions) + " |", "|---|" + "---:|" * len(actions)]
    for rtype in sorted(types):
        out.append(f"| {rtype} | " + " | ".join(str(types[rtype][a] or "") for a in actions) + " |")
    return [*out, "", "</details>"]


def render(
    rows: list[Finding],
    controls: dict[str, Control],
    title: str = "fdk-guard",
    *,
    diagram: str | None = None,
    planned: dict[str, Counter] | None = None,
    waivers: Sequence = (),
) -> str:
    ours = [r for r in rows if r.control in controls]
    builtin = [r for r in rows if r.control not in controls]
    engines = [e for e in ENGINES if any(r.engine == e for r in ours)]
    by_control: dict[str, list[Finding]] = defaultdict(list)
    for row in ours:
        by_control[row.control].append(row)
    overall = {
        cid: control_verdict(by_control.get(cid, []), tuple(c.partial))
        for cid, c in controls.items()
    }
    counts = Counter(overall.values())
    sessions = sorted({r.session for r in rows if r.session})

    out = [f"## {title}", ""]
    shown = [*ORDER, *sorted(s for s in counts if s and s not in ORDER)]
    headline = " · ".join(
        f"{ICON.get(s, '•')} {counts[s]} {WORD.get(s, s)}" for s in shown if counts[s]
    )
    if counts[None]:
        headline += f"{' · ' if headline else ''}⚪ {counts[None]} not evaluated"
    out.append(f"**{headline or 'no findings'}** of {len(controls)} controls")
    if sessions:
        out.append(f"(sessions: {', '.join(sessions)})")
    if diagram:
        out += _diagram(diagram)
    header = ["Control", "Title", "Status", *engines, "Failing resources (why)"]
    out += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for cid, control in controls.items():
        mine = by_control.get(cid, [])
        status = _badge(overall[cid]) if mine else "⚪ not evaluated"
        per_engine = [_badge(verdict([r for r in mine if r.engine == e])) for e in engines]
        fix = _fix(control) if overall[cid] == "fail" else ""
        row = [cid, _cell(control.title, 90), status, *per_engine, _details(mine) + fix]
        out.append("| " + " | ".join(row) + " |")

    if builtin:
        out += ["", "### checkov built-in checks", ""]
        checks: dict[str, list[Finding]] = defaultdict(list)
        for row in builtin:
            checks[row.control].append(row)
        failing = sorted(c for c, rs in checks.items() if control_verdict(rs) == "fail")
        passing = len(checks) - len(failing)
        out.append(f"**❌ {len(failing)} failing · ✅ {passing} not failing** of {len(checks)}")
        if failing:
            out += ["", "| Check | Failing resources |", "|---|---|"]
            out += [f"| {cid} | {_details(checks[cid])} |" for cid in failing]

    if planned:
        out += _planned(planned)

    if waivers:
        out += _waivers(waivers)

    text = "\n".join(out) + "\n"
    if len(text) > MAX_LENGTH:
        text = text[:MAX_LENGTH] + "\n\n… (truncated; see findings.json)\n"
    return text
