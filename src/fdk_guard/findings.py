"""Findings: the one verdict shape every engine and session writes (README "Reports").

`reports/findings.json` is a list of rows. Each session replaces its own rows and keeps
the other sessions' rows about the same root; a run on another root starts afresh. The
root a file is about is kept beside it in `.findings-meta.json` so the list stays a list.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

from fdk_guard.errors import GuardError

Status = Literal["pass", "fail", "deferred", "not_applicable", "waived"]
STATUSES: tuple[str, ...] = ("pass", "fail", "deferred", "not_applicable", "waived")
ENGINES: tuple[str, ...] = ("checkov", "compliance", "graph", "unit", "probe", "live")
FINDINGS_FILE = "findings.json"
META_FILE = ".findings-meta.json"


@dataclass(frozen=True)
class Finding:
    control: str
    status: Status
    engine: str
    resource: str
    message: str
    session: str | None = None
    # a waived row: the waiver's reason, owner and expires (fdk_guard.waivers)
    waiver: dict | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine {self.engine!r}")

    def to_dict(self) -> dict:
        row = asdict(self)
        for key in ("session", "waiver"):
            if row[key] is None:
                del row[key]
        return row

    @classmethod
    def from_dict(cls, row: dict) -> Finding:
        return cls(
            control=row["control"],
            status=row["status"],
            engine=row["engine"],
            resource=row.get("resource", ""),
            message=row.get("message", ""),
            session=row.get("session"),
            waiver=row.get("waiver"),
        )


def reports_dir() -> Path:
    return Path(os.environ.get("FDK_REPORTS", "reports"))


def is_control(control_id: str) -> bool:
    """An FDK control of the catalogue (not a checkov built-in check such as CKV_AWS_18)."""
    return control_id.startswith("FDK-")


def exit_code(findings: list[Finding]) -> int:
    """0 when no FDK control fails, 1 when one does (deferred is not a failure, nor a pass).

    checkov's built-in checks are reported beside the controls but never fail the gate:
    they are advice beyond the deployment page's promises.
    """
    return 1 if any(f.status == "fail" and is_control(f.control) for f in findings) else 0


def merge(
    new: list[Finding], session: str, root: str, directory: Path | None = None
) -> list[Finding]:
    """Write `new` as `session`'s rows into findings.json; return every row now in the file."""
    directory = directory or reports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path, meta_path = directory / FINDINGS_FILE, directory / META_FILE
    kept: list[Finding] = []
    if path.exists() and meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text())
            if meta.get("root") == root:
                kept = [
                    Finding.from_dict(r)
                    for r in json.loads(path.read_text())
                    if r.get("session") != session
                ]
        except (ValueError, KeyError, TypeError, AttributeError):
            kept = []  # an unreadable old file is replaced, not trusted
    rows = kept + [replace(f, session=session) for f in new]
    try:
        path.write_text(json.dumps([r.to_dict() for r in rows], indent=2) + "\n")
        meta_path.write_text(json.dumps({"root": root}) + "\n")
    except OSError as err:
        raise GuardError(f"cannot write {path}: {err}") from None
    return rows
