"""Reports beside findings.json: JUnit XML, SARIF 2.1.0 and a Markdown summary.

    write_all(rows, directory) -> dict of the files written

findings.json itself is written by fdk_guard.findings.merge; call write_all after it with
the rows merge returned, so every report shows every session's verdicts.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from fdk_guard import catalogue
from fdk_guard.errors import GuardError
from fdk_guard.findings import Finding
from fdk_guard.reports import junit, markdown, sarif

JUNIT_FILE = "junit.xml"
SARIF_FILE = "findings.sarif"
SUMMARY_FILE = "summary.md"


def write_all(
    rows: list[Finding],
    directory: Path,
    *,
    title: str = "fdk-guard",
    root: Path | None = None,
    waivers: Sequence = (),
) -> dict[str, Path]:
    """Write junit.xml, findings.sarif and summary.md for `rows` into `directory`.

    With `root`, SARIF results also point at the file and line declaring each resource;
    `waivers` (fdk_guard.waivers.Review) adds the waivers' table to summary.md.
    """
    controls = catalogue.load()
    directory = Path(directory)
    texts = {
        JUNIT_FILE: junit.render(rows, controls),
        SARIF_FILE: json.dumps(sarif.render(rows, controls, root), indent=2) + "\n",
        SUMMARY_FILE: markdown.render(rows, controls, title, waivers=waivers),
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
