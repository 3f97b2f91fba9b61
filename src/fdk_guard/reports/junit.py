"""JUnit XML: one testsuite per engine, one testcase per finding.

fail -> <failure>, deferred / not_applicable -> <skipped> (neither is a pass), pass -> plain;
waived -> <skipped> with the waiver's reason, owner and expiry.
"""

from __future__ import annotations

# Only writing XML here, never parsing untrusted input.
import xml.etree.ElementTree as ET  # noqa: S405
from collections import defaultdict

from fdk_guard.catalogue import Control
from fdk_guard.findings import Finding


def _waived(row: Finding) -> str:
    w = row.waiver or {}
    who = f" (owner {w.get('owner', '?')}, expires {w.get('expires', '?')})"
    return f"waived: {w.get('reason', 'no reason recorded')}{who}: {row.message}".strip()


def render(rows: list[Finding], controls: dict[str, Control]) -> str:
    by_engine: dict[str, list[Finding]] = defaultdict(list)
    for row in rows:
        by_engine[row.engine].append(row)
    top = ET.Element("testsuites", name="fdk-guard")
    totals = defaultdict(int)
    for engine in sorted(by_engine):
        cases = by_engine[engine]
        suite = ET.SubElement(top, "testsuite", name=f"fdk-guard.{engine}")
        counts = {"tests": len(cases), "failures": 0, "errors": 0, "skipped": 0}
        for row in cases:
            control = controls.get(row.control)
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{engine}.{row.control}",
                name=f"{row.control} {row.resource}".strip(),
            )
            if row.session:
                ET.SubElement(
                    ET.SubElement(case, "properties"), "property", name="session", value=row.session
                )
            if row.status == "fail":
                counts["failures"] += 1
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=row.message or "control failed",
                    type=control.severity if control else "check",
                )
                failure.text = "\n".join(
                    p for p in (control.title if control else "", row.message) if p
                )
            elif row.status == "waived":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=_waived(row))
            elif row.status in ("deferred", "not_applicable"):
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=f"{row.status}: {row.message}".strip())
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key in ("tests", "failures", "errors", "skipped"):
        top.set(key, str(totals[key]))
    ET.indent(top)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(top, encoding="unicode") + "\n"
