"""One rule for a control's verdict across engines and sessions (README "Verdict rules").

The rows of one control are grouped by resource. For each resource:
- one `fail`, from any engine, fails it;
- else a `pass` from an engine that checks the whole promise settles it;
- else a `deferred` keeps it deferred: a partial engine's pass never settles what another
  engine could not see; but what only partial engines deferred is `not_applicable` when
  an engine that checks the whole promise found the resource is not the control's subject;
- else a pass (from engines that check part of the promise, on a resource no other
  engine deferred) passes it;
- else `waived`, when a waiver covers its failure;
- `not_applicable` only when every row about it says so.

Plan-time rows and deployed-system rows name resources differently (addresses, ARNs,
URLs): a control's plan-time `deferred` is settled by the after-apply engines (probe,
live) when one that checks the whole promise passed the control and none of them failed
or deferred it.

The control takes the worst status of its resources: fail, deferred, waived, pass,
not_applicable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from fdk_guard.findings import Finding

ORDER = ("fail", "deferred", "waived", "pass", "not_applicable")  # worst first
AFTER_APPLY = ("probe", "live")


def worst(statuses: Iterable[str | None]) -> str | None:
    found = set(statuses)
    return next((s for s in ORDER if s in found), None)


def resource_status(rows: list[Finding], partial: Iterable[str] = ()) -> str | None:
    """The status of one resource from its rows (all of one control)."""
    if not rows:
        return None
    partial = set(partial)
    found = {r.status for r in rows}
    if "fail" in found:
        return "fail"
    if any(r.status == "pass" and r.engine not in partial for r in rows):
        return "pass"
    if "deferred" in found:
        if _not_a_subject(rows, partial):
            return "not_applicable"
        return "deferred"
    if "pass" in found:
        return "pass"
    if "waived" in found:
        return "waived"
    return "not_applicable"


def _not_a_subject(rows: list[Finding], partial: set[str]) -> bool:
    """Only partial engines deferred the resource, and an engine that checks the whole
    promise found it is not the control's subject (an ALB that does not front the server)."""
    return all(r.engine in partial for r in rows if r.status == "deferred") and any(
        r.status == "not_applicable" and r.engine not in partial for r in rows
    )


def control_status(rows: list[Finding], partial: Iterable[str] = ()) -> str | None:
    """A control's status from all its rows (any engine, any session)."""
    if not rows:
        return None
    partial = set(partial)
    by_resource: dict[str, list[Finding]] = defaultdict(list)
    for row in rows:
        by_resource[row.resource or "(root)"].append(row)
    status = worst(resource_status(rs, partial) for rs in by_resource.values())
    if status == "deferred" and _settled_after_apply(rows, partial):
        return "pass"  # no resource failed (else status would be fail)
    return status


def _settled_after_apply(rows: list[Finding], partial: set[str]) -> bool:
    after = [r for r in rows if r.engine in AFTER_APPLY]
    if not after or any(r.status in ("fail", "deferred") for r in after):
        return False
    return any(r.status == "pass" and r.engine not in partial for r in after)


def by_control(rows: Iterable[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = defaultdict(list)
    for row in rows:
        out[row.control].append(row)
    return out


def statuses(
    rows: Iterable[Finding], partial_engines: Mapping[str, Iterable[str]]
) -> dict[str, str | None]:
    """control id -> its status; `partial_engines[control]` lists its partial engines."""
    return {
        cid: control_status(rs, partial_engines.get(cid, ()))
        for cid, rs in by_control(rows).items()
    }
