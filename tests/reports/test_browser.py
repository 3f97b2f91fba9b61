"""The diagram in a real browser: mermaid.js (npm, pinned) in headless Chromium (Debian's
`chromium`) draws summary.md's Mermaid for the four roots without a syntax error, makes the
PNG kept in docs/, and summary.html opens offline with the same content.

Chromium and mermaid.js are installed when missing (.ci/run installs both); the tests skip,
saying why, only when that install fails. FDK_WRITE_DOCS=1 also rewrites docs/diagram.png.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fdk_guard import catalogue, reports
from fdk_guard.errors import GuardError
from fdk_guard.reports import browser, diagram
from tests.reports import mermaid_text as mt
from tests.reports.conftest import MUTATION, REPO

pytestmark = pytest.mark.slow
CONTROLS = catalogue.load()
DOCS_PNG = REPO / "docs" / "diagram.png"
BROKEN = 'flowchart LR\n  a --> b["unclosed\n'


def _install_chromium() -> str:
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        return "Chromium is not installed, and apt-get as root is not available to install it"
    for args in (["update", "-q"], ["install", "-y", "-q", "chromium"]):
        done = subprocess.run(
            [apt, *args],
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        if done.returncode:
            return f"apt-get {' '.join(args)} failed: {(done.stderr.strip() or '?')[-200:]}"
    return ""


@pytest.fixture(scope="session")
def drawing_tools() -> None:
    if browser.chromium() is None:
        why = _install_chromium()
        if browser.chromium() is None:
            pytest.skip(f"cannot install Chromium: {why or 'not found after apt-get install'}")
    if browser.mermaid_js() is None:
        try:
            browser.install_mermaid()
        except GuardError as err:
            pytest.skip(f"cannot install mermaid.js: {err}")


@pytest.fixture(scope="module")
def drawings(roots: dict, drawing_tools) -> dict[str, browser.Drawing]:
    names = list(roots)
    sources = [diagram.render(roots[n].graph, roots[n].rows, CONTROLS) for n in names]
    assert all(sources)
    drawn = browser.render([*sources, BROKEN])  # one browser start for all
    return {**dict(zip(names, drawn[:-1], strict=True)), "broken": drawn[-1], "_src": sources}


def _svg_text(svg: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", svg))


@pytest.mark.parametrize("name", ["reference", "plain", MUTATION])
def test_mermaid_draws_the_diagram_without_a_syntax_error(drawings: dict, name: str) -> None:
    drawn = drawings[name]
    assert drawn.ok, f"{name}: {drawn.error}"
    assert drawn.svg.startswith("<svg") and "Syntax error" not in drawn.svg
    words = _svg_text(drawn.svg)
    for title in ("ALB", "ECS service", "RDS postgres", "Internet"):
        assert title in words
    if name == MUTATION:
        assert "ECS service — fail" in words and "public IP — fail" in words


def test_the_community_root_draws_too(community, drawings: dict) -> None:
    drawn = drawings["community"]
    assert drawn.ok, drawn.error
    assert "ECS service" in _svg_text(drawn.svg)


def test_a_broken_diagram_is_reported_not_drawn(drawings: dict) -> None:
    broken = drawings["broken"]
    assert not broken.ok and not broken.svg
    assert "Parse error" in broken.error or "error" in broken.error.lower()


def test_the_reference_png_is_made_from_this_run(drawings: dict, tmp_path: Path) -> None:
    png = browser.screenshot(drawings["reference"].svg, tmp_path / "diagram.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 800 and height > 300
    if os.environ.get("FDK_WRITE_DOCS") == "1":
        shutil.copyfile(png, DOCS_PNG)
    assert DOCS_PNG.is_file(), "docs/diagram.png: run with FDK_WRITE_DOCS=1 to make it"


# --- summary.html ----------------------------------------------------------------------

FETCHING = {"src", "href", "srcset", "poster", "data", "xlink:href", "action", "background"}


class _Refs(HTMLParser):
    """Every attribute and style text through which a browser would fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[str] = []
        self.scripts = 0
        self.css: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        self.scripts += tag == "script"
        for name, value in attrs:
            if name in FETCHING and value and not value.startswith(("#", "data:")):
                self.fetches.append(f"<{tag} {name}={value}>")
            if name == "style" and value:
                self.css.append(value)

    def handle_data(self, data):
        if self._tag == "style":
            self.css.append(data)


def _statuses_md(text: str) -> dict[str, str]:
    rows = [ln.split(" | ") for ln in text.splitlines() if ln.startswith("| FDK-")]
    return {r[0][2:]: r[2] for r in rows}


def _statuses_html(text: str) -> dict[str, str]:
    out = {}
    for m in re.finditer(
        r'<tr id="(FDK-[\w-]+)"[^>]*><td>.*?</td><td>.*?</td><td>(.*?)</td>', text
    ):
        out[m.group(1)] = html.unescape(m.group(2))
    return out


def test_summary_html_opens_offline_with_the_same_content(roots, drawing_tools, tmp_path):
    judged = roots[MUTATION]
    reports.write_all(
        judged.rows, tmp_path, title="mutation", plan=judged.plan, sources=judged.sources
    )
    (tmp_path / reports.PLAN_FILE).write_text(json.dumps(judged.plan))
    assert reports.draw_html(judged.rows, tmp_path, title="mutation")
    page = (tmp_path / reports.HTML_FILE).read_text()
    summary = (tmp_path / reports.SUMMARY_FILE).read_text()

    refs = _Refs()
    refs.feed(page)
    assert refs.fetches == [] and refs.scripts == 0
    assert not [c for c in refs.css if re.search(r"url\(|@import", c)]

    # the same verdicts, remediation and diagram as summary.md
    statuses = _statuses_md(summary)
    assert _statuses_html(page) == statuses and len(statuses) == len(CONTROLS)  # every control
    fix = CONTROLS["FDK-NET-04"].remediation
    assert "assign_public_ip = false" in fix and fix in summary
    assert html.escape("assign_public_ip = false") in page
    source = summary.split("```mermaid\n", 1)[1].split("```", 1)[0]
    words = _svg_text(page)
    for label in mt.boxes(source).values():
        assert html.unescape(label.split("<br/>")[0]).replace("#quot;", '"') in words

    # opened with every host unresolvable, the page shows all of it
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copyfile(tmp_path / reports.HTML_FILE, alone / "summary.html")
    done = browser._run(
        browser.chromium(),
        ["--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=5000", "--dump-dom"],
        alone / "summary.html",
    )
    assert "<svg" in done.stdout and 'id="FDK-NET-04"' in done.stdout
    assert "ECS service — fail" in _svg_text(done.stdout)


def test_report_html_without_chromium_says_why_and_keeps_the_source(
    roots, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fdk_guard import cli, findings

    judged = roots["reference"]
    findings.merge(judged.rows, "plan", "/ref", tmp_path)
    (tmp_path / reports.PLAN_FILE).write_text(json.dumps(judged.plan))
    monkeypatch.setenv("FDK_REPORTS", str(tmp_path))
    monkeypatch.setenv("FDK_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert cli.main(["report", "--html"]) == 2
    page = (tmp_path / reports.HTML_FILE).read_text()
    assert "<svg" not in page and "flowchart LR" in page
