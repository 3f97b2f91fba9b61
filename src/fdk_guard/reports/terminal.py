"""What a session prints: one line per control, its failing resources, a tally of controls.

    control_lines(rows, controls) -> list of rich Text, best first, failures last
    tally(rows, controls) -> "31 controls: 27 pass, 3 deferred, 1 n/a"
    planned(plan) -> "planned 85 resources of 38 types: 85 create"

A failing control names how many resources fail and the first MAX_SHOWN of them with why,
then "... and N more": the output stays bounded on a root of hundreds of resources, and the
reports keep every row. A control's status is fdk_guard.verdicts.control_status.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from rich.text import Text

from fdk_guard import verdicts
from fdk_guard.catalogue import Control
from fdk_guard.findings import Finding, is_control

MAX_SHOWN = 3
MAX_LINE = 150
WORDS = {"not_applicable": "n/a", None: "not evaluated"}
STYLES = {
    "fail": "bold red",
    "deferred": "yellow",
    "waived": "cyan",
    "pass": "green",
    "not_applicable": "dim",
    None: "dim",
}
# printed best first, so that failures end up next to the tally
SHOW_ORDER = ("pass", "not_applicable", None, "waived", "deferred", "fail")
TALLY_ORDER = ("fail", "pass", "deferred", "waived", "not_applicable", None)
ACTIONS = ("create", "update", "replace", "delete")


def word(status: str | None) -> str:
    return WORDS.get(status, status or "not evaluated")


def _clip(text: str, limit: int = MAX_LINE) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def statuses(rows: list[Finding], controls: dict[str, Control]) -> dict[str, str | None]:
    """control id -> its status across engines and sessions (None: nobody judged it)."""
    by_control = verdicts.by_control(r for r in rows if r.control in controls)
    return {
        cid: verdicts.control_status(by_control.get(cid, []), tuple(c.partial))
        for cid, c in controls.items()
    }


def resources_with(status: str, rows: list[Finding], partial) -> list[tuple[str, str]]:
    """(resource, why) of the resources of one control whose own status is `status`."""
    by_resource: dict[str, list[Finding]] = defaultdict(list)
    for row in rows:
        by_resource[row.resource or "(root)"].append(row)
    out = []
    for resource, mine in by_resource.items():
        if verdicts.resource_status(mine, partial) == status:
            why = next((r.message for r in mine if r.status == status and r.message), "")
            if not why and status == "deferred":  # passes from partial engines only
                engines = sorted({r.engine for r in mine if r.status == "pass"})
                why = f"passed only by {', '.join(engines)}, which checks part of the promise"
            out.append((resource, why or status))
    return out


def _rank(status: str | None) -> int:
    return SHOW_ORDER.index(status) if status in SHOW_ORDER else SHOW_ORDER.index("waived")


def control_lines(rows: list[Finding], controls: dict[str, Control]) -> list[Text]:
    status_of = statuses(rows, controls)
    by_control = verdicts.by_control(rows)
    order = sorted(controls, key=lambda cid: _rank(status_of[cid]))  # stable: catalogue order
    lines: list[Text] = []
    for cid in order:
        control, status = controls[cid], status_of[cid]
        style = STYLES.get(status, "magenta")
        line = Text(f"  {word(status):<13}", style=style)
        line.append(f"{cid:<12} ")
        mine = by_control.get(cid, [])
        partial = tuple(control.partial)
        if status == "fail":
            failing = resources_with("fail", mine, partial)
            noun = "resource" if len(failing) == 1 else "resources"
            line.append(_clip(control.title, 90))
            line.append(f" ({len(failing)} failing {noun})", style=style)
            lines.append(line)
            for resource, why in failing[:MAX_SHOWN]:
                lines.append(Text(f"      {_clip(f'{resource}: {why}')}"))
            if len(failing) > MAX_SHOWN:
                lines.append(Text(f"      ... and {len(failing) - MAX_SHOWN} more", style="dim"))
            continue
        shown = resources_with(status, mine, partial) if status else []
        if status in ("pass", None) or not shown:
            line.append(_clip(control.title, 110))
        else:  # deferred, n/a, waived...: the first resource and why
            resource, why = shown[0]
            more = f" (+{len(shown) - 1} more)" if len(shown) > 1 else ""
            line.append(_clip(f"{resource}: {why}", 110) + more)
        lines.append(line)
    return lines


def tally(rows: list[Finding], controls: dict[str, Control]) -> str:
    counts = Counter(statuses(rows, controls).values())
    order = list(TALLY_ORDER) + sorted(s for s in counts if s not in TALLY_ORDER)
    parts = [f"{counts[s]} {word(s)}" for s in order if counts[s]]
    return f"{len(controls)} controls: {', '.join(parts)}"


def builtin_line(rows: list[Finding]) -> str | None:
    """checkov's built-in checks in one line (advice: they never fail the gate)."""
    checks = verdicts.by_control(r for r in rows if not is_control(r.control))
    if not checks:
        return None
    failing = sorted(c for c, rs in checks.items() if verdicts.control_status(rs) == "fail")
    names = ", ".join(failing[:MAX_SHOWN]) + (" ..." if len(failing) > MAX_SHOWN else "")
    return (
        f"checkov built-in checks: {len(failing)} failing of {len(checks)}"
        f"{': ' + names if failing else ''} (advice; they never fail the gate)"
    )


def by_type(plan: dict) -> dict[str, Counter]:
    """Managed resources of a plan by type, counted per action."""
    out: dict[str, Counter] = {}
    for change in plan.get("resource_changes", []):
        if change.get("mode") != "managed":
            continue
        actions = change.get("change", {}).get("actions", []) or ["no-op"]
        action = "replace" if {"create", "delete"} <= set(actions) else actions[0]
        out.setdefault(change["type"], Counter())[action] += 1
    return out


def planned(plan: dict) -> str:
    types = by_type(plan)
    totals: Counter = Counter()
    for counter in types.values():
        totals.update(counter)
    parts = [f"{totals[a]} {a}" for a in (*ACTIONS, "no-op") if totals[a]]
    return (
        f"planned {sum(totals.values())} resources of {len(types)} types: "
        f"{', '.join(parts) or 'no changes'} (by type in summary.md)"
    )
