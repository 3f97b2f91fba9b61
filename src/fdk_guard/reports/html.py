"""summary.html: summary.md's content as one self-contained page, for readers without GitHub.

Everything is inline (styles, the diagram); the page loads nothing, from the network or from
disk. The diagram is the SVG that mermaid.js drew in headless Chromium when `fdk-guard report
--html` could run it, else its Mermaid source (mermaid.js itself, ~3.5 MB, is not inlined).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape

from fdk_guard.catalogue import Control
from fdk_guard.findings import ENGINES, Finding
from fdk_guard.reports import markdown
from fdk_guard.reports.markdown import ICON, MAX_DETAILS, ORDER, WORD

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1f2328}
h1{font-size:22px} h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;width:100%} th,td{border:1px solid #d0d7de;padding:4px 8px;
vertical-align:top;text-align:left} th{background:#f6f8fa} code{font-size:12px;background:#f6f8fa;
padding:0 3px;border-radius:3px} .fail{background:#fde2e1} .deferred{background:#fff4ce}
.fix{margin-top:4px;padding:4px 6px;background:#eef6ff;border-left:3px solid #1e5bb8}
figure{margin:0;overflow-x:auto;border:1px solid #d0d7de;padding:8px}
figcaption{color:#57606a;font-size:12px} pre{background:#f6f8fa;padding:8px;overflow-x:auto}
"""
SOURCE_NOTE = (
    "The diagram's Mermaid source: `fdk-guard report --html` draws it here when headless "
    "Chromium and mermaid.js are available; GitHub draws it in summary.md."
)


def _code(text: str) -> str:
    """Inline `code` spans of catalogue Markdown as HTML (everything else escaped)."""
    parts = str(text).split("`")
    return "".join(f"<code>{escape(p)}</code>" if i % 2 else escape(p) for i, p in enumerate(parts))


def _badge(status: str | None) -> str:
    if not status:
        return "—"
    return f"{ICON.get(status, '•')} {escape(WORD.get(status, status))}"


def _details(rows: list[Finding]) -> str:
    failing = [r for r in rows if r.status == "fail"]
    items = [f"<code>{escape(r.resource)}</code>: {escape(r.message)}" for r in failing]
    shown = items[:MAX_DETAILS]
    if len(items) > MAX_DETAILS:
        shown.append(f"… and {len(items) - MAX_DETAILS} more")
    if not failing:
        deferred = markdown._undecided(rows)[:2]
        shown = [f"⏳ <code>{escape(r.resource)}</code>: {escape(r.message)}" for r in deferred]
    return "<br>".join(shown)


def _figure(diagram: str | None, svg: str | None) -> list[str]:
    if svg:
        return [f"<figure>{svg}<figcaption>{escape(markdown.DIAGRAM_NOTE)}</figcaption></figure>"]
    if diagram:
        return [
            f"<figure><pre>{escape(diagram)}</pre>",
            f"<figcaption>{_code(SOURCE_NOTE)} {escape(markdown.DIAGRAM_NOTE)}</figcaption>",
            "</figure>",
        ]
    return []


def _planned(types: dict[str, Counter]) -> list[str]:
    actions = [a for a in markdown.ACTIONS if any(c[a] for c in types.values())]
    out = ["<details><summary>Planned resources by type</summary><table>"]
    out.append("<tr><th>type</th>" + "".join(f"<th>{a}</th>" for a in actions) + "</tr>")
    for rtype in sorted(types):
        cells = "".join(f"<td>{types[rtype][a] or ''}</td>" for a in actions)
        out.append(f"<tr><td>{escape(rtype)}</td>{cells}</tr>")
    return [*out, "</table></details>"]


def render(
    rows: list[Finding],
    controls: dict[str, Control],
    title: str = "fdk-guard",
    *,
    diagram: str | None = None,
    svg: str | None = None,
    planned: dict[str, Counter] | None = None,
) -> str:
    ours = [r for r in rows if r.control in controls]
    builtin = [r for r in rows if r.control not in controls]
    engines = [e for e in ENGINES if any(r.engine == e for r in ours)]
    by_control: dict[str, list[Finding]] = defaultdict(list)
    for row in ours:
        by_control[row.control].append(row)
    overall = {
        cid: markdown.control_verdict(by_control.get(cid, []), tuple(c.partial))
        for cid, c in controls.items()
    }
    counts = Counter(overall.values())
    shown = [*ORDER, *sorted(s for s in counts if s and s not in ORDER)]
    headline = " · ".join(
        f"{ICON.get(s, '•')} {counts[s]} {escape(WORD.get(s, s))}" for s in shown if counts[s]
    )
    if counts[None]:
        headline += f"{' · ' if headline else ''}⚪ {counts[None]} not evaluated"
    sessions = sorted({r.session for r in rows if r.session})

    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p><strong>{headline or 'no findings'}</strong> of {len(controls)} controls"
        + (f" (sessions: {escape(', '.join(sessions))})" if sessions else "")
        + "</p>",
        *_figure(diagram, svg),
        "<h2>Controls</h2><table>",
        "<tr>"
        + "".join(
            f"<th>{escape(h)}</th>"
            for h in ["Control", "Title", "Status", *engines, "Failing resources (why)"]
        )
        + "</tr>",
    ]
    for cid, control in controls.items():
        mine = by_control.get(cid, [])
        status = overall[cid]
        badge = _badge(status) if mine else "⚪ not evaluated"
        cells = [escape(cid), escape(control.title), badge]
        cells += [_badge(markdown.verdict([r for r in mine if r.engine == e])) for e in engines]
        detail = _details(mine)
        if status == "fail" and control.remediation:
            detail += (
                f'<div class="fix">🔧 <strong>Fix:</strong> {_code(control.remediation)}</div>'
            )
        cells.append(detail)
        css = f' class="{status}"' if status in ("fail", "deferred") else ""
        out.append(f'<tr id="{escape(cid)}"{css}>' + "".join(f"<td>{c}</td>" for c in cells))
    out.append("</table>")

    if builtin:
        checks: dict[str, list[Finding]] = defaultdict(list)
        for row in builtin:
            checks[row.control].append(row)
        failing = sorted(c for c, rs in checks.items() if markdown.control_verdict(rs) == "fail")
        out.append("<h2>checkov built-in checks</h2>")
        out.append(
            f"<p><strong>❌ {len(failing)} failing · ✅ {len(checks) - len(failing)} not failing"
            f"</strong> of {len(checks)} (advice; they never fail the gate)</p>"
        )
        if failing:
            out.append("<table><tr><th>Check</th><th>Failing resources</th></tr>")
            out += [f"<tr><td>{escape(c)}</td><td>{_details(checks[c])}</td></tr>" for c in failing]
            out.append("</table>")
    if planned:
        out += _planned(planned)
    out.append("</body></html>")
    return "\n".join(out) + "\n"
