"""Mermaid drawn by mermaid.js in headless Chromium: SVG for the HTML report, PNG for docs.

    chromium() -> path or None             FDK_CHROMIUM, else chromium / google-chrome on PATH
    mermaid_js() -> path or None           FDK_MERMAID_JS, else the npm install in the cache
    install_mermaid(folder) -> path        `npm install mermaid@MERMAID_VERSION` there
    render(sources) -> list[Drawing]       one browser start for every diagram
    screenshot(svg, png)                   the drawing as a PNG

Nothing is fetched from the network: the page and mermaid.js are local files, and the browser
runs with its background networking off.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fdk_guard import config
from fdk_guard.errors import GuardError

MERMAID_VERSION = "11.17.2"  # .ci/run installs the same (it reads this line)
MERMAID_FILE = Path("node_modules") / "mermaid" / "dist" / "mermaid.min.js"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
TIMEOUT_S = 120

# The page: parse then render each source; the results land in <pre id="out"> as JSON.
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><script src="{script}"></script></head>
<body><pre id="out">pending</pre>
<script type="application/json" id="sources">{sources}</script>
<script>
(async () => {{
  const out = [];
  const sources = JSON.parse(document.getElementById("sources").textContent);
  mermaid.initialize({{startOnLoad: false, securityLevel: "strict", theme: "default"}});
  for (const [i, text] of sources.entries()) {{
    try {{
      await mermaid.parse(text);
      const drawn = await mermaid.render("fdk-diagram-" + i, text);
      out.push({{ok: true, svg: drawn.svg}});
    }} catch (err) {{
      out.push({{ok: false, error: String((err && err.message) || err)}});
    }}
  }}
  document.getElementById("out").textContent = JSON.stringify(out);
}})();
</script></body></html>
"""
SHOT = """<!doctype html><html><head><meta charset="utf-8">
<style>html,body{{margin:0;padding:0;background:#fff}} svg{{display:block}}</style></head>
<body>{svg}</body></html>
"""


@dataclass(frozen=True)
class Drawing:
    ok: bool
    svg: str = ""
    error: str = ""


def chromium() -> str | None:
    given = os.environ.get("FDK_CHROMIUM", "").strip()
    if given:
        return given if Path(given).is_file() else None
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def mermaid_js() -> Path | None:
    given = os.environ.get("FDK_MERMAID_JS", "").strip()
    path = Path(given) if given else config.cache_dir() / "mermaid" / MERMAID_FILE
    return path if path.is_file() else None


def install_mermaid(folder: Path | None = None) -> Path:
    """npm install the pinned mermaid into `folder` (default: the cache); its script's path."""
    folder = Path(folder or config.cache_dir() / "mermaid")
    npm = shutil.which("npm")
    if npm is None:
        raise GuardError("npm not found: it installs mermaid.js for the diagram")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--loglevel=error"]
        + [f"mermaid@{MERMAID_VERSION}"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    script = folder / MERMAID_FILE
    if done.returncode != 0 or not script.is_file():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise GuardError(f"npm install mermaid@{MERMAID_VERSION} failed: {last}")
    return script


def _run(browser: str, args: list[str], page: Path) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="fdk-chromium-") as profile:
        try:
            return subprocess.run(
                [browser, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            raise GuardError(f"headless Chromium did not run: {err}") from None


def _tools() -> tuple[str, Path]:
    browser, script = chromium(), mermaid_js()
    if browser is None:
        raise GuardError("Chromium not found (install Debian's `chromium` or set FDK_CHROMIUM)")
    if script is None:
        raise GuardError("mermaid.js not found (`fdk-guard report --html` needs it in the cache)")
    return browser, script


def render(sources: list[str]) -> list[Drawing]:
    """Each Mermaid source drawn by mermaid.js in headless Chromium (one start for all)."""
    browser, script = _tools()
    with tempfile.TemporaryDirectory(prefix="fdk-mermaid-") as tmp:
        page = Path(tmp) / "page.html"
        data = json.dumps(sources).replace("</", "<\\/")
        page.write_text(PAGE.format(script=script.as_uri(), sources=data), encoding="utf-8")
        done = _run(browser, ["--virtual-time-budget=60000", "--dump-dom"], page)
    found = re.search(r'<pre id="out">(.*?)</pre>', done.stdout, re.DOTALL)
    try:
        results = json.loads(html.unescape(found.group(1))) if found else None
    except ValueError:
        results = None
    if not isinstance(results, list) or len(results) != len(sources):
        errors = [ln for ln in done.stderr.splitlines() if "dbus" not in ln.lower()]
        why = (errors or ["no result on the page"])[-1]
        raise GuardError(f"headless Chromium did not draw the diagram: {why}")
    return [Drawing(bool(r.get("ok")), r.get("svg", ""), r.get("error", "")) for r in results]


def svg_size(svg: str) -> tuple[int, int]:
    """Width and height of a drawing, from its viewBox."""
    box = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg)
    if not box:
        return 1200, 800
    return int(float(box.group(1))) + 1, int(float(box.group(2))) + 1


def screenshot(svg: str, png: Path, scale: float = 1.5) -> Path:
    """The drawing as a PNG at its own size (times `scale`)."""
    browser, _ = _tools()
    width, height = svg_size(svg)
    # the drawing at its natural size, not squeezed to the window
    svg = re.sub(r'width="100%"', f'width="{width}"', svg, count=1)
    svg = re.sub(r'style="max-width: [\d.]+px;"', "", svg, count=1)
    with tempfile.TemporaryDirectory(prefix="fdk-shot-") as tmp:
        page = Path(tmp) / "shot.html"
        page.write_text(SHOT.format(svg=svg), encoding="utf-8")
        png = Path(png).resolve()
        png.parent.mkdir(parents=True, exist_ok=True)
        args = [
            f"--window-size={width},{height}",
            f"--force-device-scale-factor={scale}",
            f"--screenshot={png}",
        ]
        done = _run(browser, args, page)
    if not png.is_file():
        raise GuardError(f"headless Chromium made no screenshot: {done.stderr.strip()[-200:]}")
    return png
