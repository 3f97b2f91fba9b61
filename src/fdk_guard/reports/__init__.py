"""Reports beside findings.json: JUnit XML, SARIF 2.1.0, a Markdown summary and its HTML page.

    write_all(rows, directory) -> dict of the files written
    draw_html(rows, directory) -> summary.html again, its diagram drawn as SVG (report --html)

findings.json itself is written by fdk_guard.findings.merge; call write_all after it with
the rows merge returned, so every report shows every session's verdicts. The summaries open
with a diagram of the deployment when the plan is known: given, or the plan.json the plan
session saved beside the findings (fdk_guard.reports.diagram).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from fdk_guard import catalogue
from fdk_guard.errors import GuardError
from fdk_guard.findings import Finding
from fdk_guard.plangraph import PlanGraph
from fdk_guard.plangraph.modules import collect_sources
from fdk_guard.reports import browser, diagram, html, junit, markdown, sarif, terminal

JUNIT_FILE = "junit.xml"
SARIF_FILE = "findings.sarif"
SUMMARY_FILE = "summary.md"
HTML_FILE = "summary.html"
PLAN_FILE = "plan.json"


def saved_plan(rows: list[Finding], directory: Path) -> dict | None:
    """The plan session's plan.json, when these findings include that session's rows.

    findings.merge starts afresh on another root, so a plan-session row here means the
    plan.json beside it was saved for this root (the session writes it before its rows).
    """
    path = Path(directory) / PLAN_FILE
    if not any(r.session == "plan" for r in rows) or not path.is_file():
        return None
    try:
        plan = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return plan if isinstance(plan, dict) and "planned_values" in plan else None


def _sources(root: Path | None) -> dict | None:
    """The .tf files of `root` and its modules, so that the diagram follows what the plan
    alone leaves unknown as the plan-graph checks did (engines.evaluate_plan reads them
    the same way); None without a root."""
    if root is None:
        return None
    try:
        return collect_sources(Path(root))
    except (OSError, GuardError):
        return None


def _drawing(rows, controls, plan: dict | None, sources: dict | None = None) -> str | None:
    if not plan:
        return None
    try:
        return diagram.render(PlanGraph(plan, sources), rows, controls)
    except TypeError as err:  # a value unknown until apply where a known one was needed
        if "unknown plan value" not in str(err):
            raise
        return None


def _summaries(
    rows, controls, title, plan, svg: bool, waivers: Sequence = (), sources: dict | None = None
) -> dict[str, str]:
    drawing = _drawing(rows, controls, plan, sources)
    types = terminal.by_type(plan) if plan else None
    picture = None
    if svg and drawing:
        (result,) = browser.render([drawing])
        if not result.ok:
            raise GuardError(f"mermaid.js rejected the diagram: {result.error.splitlines()[0]}")
        picture = result.svg
    return {
        SUMMARY_FILE: markdown.render(
            rows, controls, title, diagram=drawing, planned=types, waivers=waivers
        ),
        HTML_FILE: html.render(rows, controls, title, diagram=drawing, svg=picture, planned=types),
    }


def draw_html(
    rows: list[Finding], directory: Path, *, title: str = "fdk-guard", root: Path | None = None
) -> bool:
    """Rewrite summary.html with its diagram drawn as SVG by mermaid.js in headless Chromium.

    False when there is no plan to draw; GuardError when Chromium or mermaid.js cannot.
    """
    plan = saved_plan(rows, directory)
    if plan is None:
        return False
    text = _summaries(rows, catalogue.load(), title, plan, svg=True, sources=_sources(root))
    text = text[HTML_FILE]
    try:
        (Path(directory) / HTML_FILE).write_text(text, encoding="utf-8")
    except OSError as err:
        raise GuardError(f"cannot write {HTML_FILE} in {directory}: {err}") from None
    return True


def write_all(
    rows: list[Finding],
    directory: Path,
    *,
    title: str = "fdk-guard",
    root: Path | None = None,
    plan: dict | None = None,
    waivers: Sequence = (),
    sources: dict | None = None,
) -> dict[str, Path]:
    """Write junit.xml, findings.sarif, summary.md and summary.html for `rows` into `directory`.

    With `root`, SARIF results also point at the file and line declaring each resource.
    With `plan` (default: the saved plan.json, see saved_plan), the summaries open with the
    deployment's diagram, evaluated with `sources` ({module key: {file: text}}; default:
    read from `root`) where the plan alone leaves values unknown.
    `waivers` (fdk_guard.waivers.Review) adds the waivers' table to summary.md.
    """
    controls = catalogue.load()
    directory = Path(directory)
    plan = plan if plan is not None else saved_plan(rows, directory)
    if plan and sources is None:
        sources = _sources(root)
    texts = {
        JUNIT_FILE: junit.render(rows, controls),
        SARIF_FILE: json.dumps(sarif.render(rows, controls, root), indent=2) + "\n",
        **_summaries(rows, controls, title, plan, svg=False, waivers=waivers, sources=sources),
    }
    written: dict[str, Path] = {}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            (directory / name).write_text(text, encoding="utf-8")
            written[name] = directory / name
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
        if step_summary:
            with open(step_summary, "a", encoding="utf-8") as handle:
                handle.write(texts[SUMMARY_FILE] + "\n")
    except OSError as err:
        raise GuardError(f"cannot write reports in {directory}: {err}") from None
    return written
