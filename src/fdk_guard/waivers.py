"""Waivers: approved exceptions to FDK controls, each with a reason, an owner and an expiry.

    waivers:
      - control: FDK-CHG-01
        resource: module.rds_instance.aws_db_instance.this   # an address, or a glob (* and ?)
        reason: the database moves to Aurora in CHG-1234; its data is migrated
        owner: platform-team@example.com
        expires: 2026-03-31                                   # waives through that day

The file is FDK_WAIVERS, else `<FDK_TF_DIR>/.fdk-waivers.yaml` when it exists. Every field is
required; an expiry more than a year ahead is refused (renew a waiver, don't make it
permanent); a malformed file is a bad input (exit 2). A live waiver turns the failing
findings it matches into `waived` (never counted as a fail or a pass); an expired one waives
nothing and the failure says when it expired; one that matches no failing finding of a
control that was judged is stale. Inline `checkov:skip` comments never waive an FDK control:
this file is the only way.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

from fdk_guard import catalogue
from fdk_guard.errors import GuardError
from fdk_guard.findings import Finding, is_control

ENV = "FDK_WAIVERS"
FILE_NAME = ".fdk-waivers.yaml"
FIELDS = ("control", "resource", "reason", "owner", "expires")


@dataclass(frozen=True)
class Waiver:
    control: str
    resource: str  # an address, or a glob where * and ? are the only wildcards
    reason: str
    owner: str
    expires: date
    number: int  # its place in the file, from 1, for messages

    def covers(self, row: Finding) -> bool:
        return row.control == self.control and _glob(self.resource).fullmatch(row.resource or "")

    def live(self, today: date) -> bool:
        return today <= self.expires

    def label(self) -> str:
        return f"waiver {self.number} ({self.control} {self.resource})"

    def record(self) -> dict[str, str]:
        """What a waived finding carries (findings.json `waiver`)."""
        return {"reason": self.reason, "owner": self.owner, "expires": self.expires.isoformat()}


@dataclass(frozen=True)
class Review:
    """What one waiver did to the findings."""

    waiver: Waiver
    state: str  # "in use" | "expired" | "stale" | "not judged"
    matched: int  # failing findings it matches (waived ones included)


def _glob(pattern: str) -> re.Pattern[str]:
    # Addresses hold [ and ] (`x["a"]`, `y[0]`): only * and ? are wildcards.
    return re.compile(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."))


def latest_expiry(today: date) -> date:
    """A year from today (28 February when today is 29 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


# --- reading the file -------------------------------------------------------------------


def _expiry(value: object, where: str) -> date:
    if isinstance(value, datetime):
        raise GuardError(f"{where}: expires must be a date (YYYY-MM-DD), not a time")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise GuardError(f"{where}: expires must be an ISO date (YYYY-MM-DD), got {value!r}")


def _entry(raw: object, number: int, path: Path, today: date, known: Iterable[str]) -> Waiver:
    where = f"{path}: waiver {number}"
    if not isinstance(raw, dict):
        raise GuardError(f"{where} is not a mapping of {', '.join(FIELDS)}")
    missing = [f for f in FIELDS if raw.get(f) in (None, "")]
    if missing:
        raise GuardError(f"{where} lacks {', '.join(missing)} (every field is required)")
    unknown = sorted(str(k) for k in raw if k not in FIELDS)
    if unknown:
        raise GuardError(f"{where} has unknown field(s) {', '.join(unknown)}")
    for name in ("control", "resource", "reason", "owner"):
        if not isinstance(raw[name], str) or not raw[name].strip():
            raise GuardError(f"{where}: {name} must be a non-empty string")
    control = raw["control"].strip()
    if control not in known:
        raise GuardError(f"{where}: {control} is not a control of the catalogue")
    expires = _expiry(raw["expires"], where)
    limit = latest_expiry(today)
    if expires > limit:
        raise GuardError(
            f"{where}: expires {expires} is more than a year ahead (latest {limit}); "
            "a waiver is renewed, never permanent"
        )
    return Waiver(
        control,
        raw["resource"].strip(),
        raw["reason"].strip(),
        raw["owner"].strip(),
        expires,
        number,
    )


def load(path: Path, today: date | None = None) -> tuple[Waiver, ...]:
    """The waivers of the file at `path`; GuardError (one line) when it is malformed."""
    today = today or date.today()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GuardError(f"waiver file not found: {path} ({ENV})") from None
    except (OSError, UnicodeDecodeError) as err:
        raise GuardError(f"cannot read the waiver file {path}: {err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark else ""
        problem = getattr(err, "problem", None) or "not valid YAML"
        raise GuardError(f"malformed waiver file {path}{at}: {problem}") from None
    if data is None:
        return ()
    if not isinstance(data, dict) or set(data) != {"waivers"}:
        raise GuardError(f"malformed waiver file {path}: expected one key, `waivers:`, a list")
    entries = data["waivers"] or []
    if not isinstance(entries, list):
        raise GuardError(f"malformed waiver file {path}: `waivers:` must be a list")
    known = set(catalogue.load())
    return tuple(_entry(raw, i, Path(path), today, known) for i, raw in enumerate(entries, 1))


def file_for(root: Path | None, env: Mapping[str, str] | None = None) -> Path | None:
    """FDK_WAIVERS when set, else the root's .fdk-waivers.yaml when it exists."""
    env = os.environ if env is None else env
    given = env.get(ENV, "").strip()
    if given:
        return Path(given).expanduser()
    default = Path(root) / FILE_NAME if root else None
    return default if default and default.is_file() else None


# --- applying them ----------------------------------------------------------------------


@dataclass(frozen=True)
class Waivers:
    """The waivers in force for one run."""

    items: tuple[Waiver, ...] = ()
    path: Path | None = None
    today: date = dataclasses.field(default_factory=date.today)

    @classmethod
    def for_root(
        cls, root: Path | None, env: Mapping[str, str] | None = None, today: date | None = None
    ) -> Waivers:
        today = today or date.today()
        path = file_for(root, env)
        return cls(load(path, today) if path else (), path, today)

    def apply(self, rows: Iterable[Finding]) -> list[Finding]:
        """Rows with every failure a live waiver covers turned `waived`.

        Rows already waived are judged again (the report session re-reads findings.json: a
        waiver may have expired or gone since).
        """
        return [self._one(row) for row in rows]

    def _one(self, row: Finding) -> Finding:
        if row.status == "waived":
            row = dataclasses.replace(row, status="fail", waiver=None)
        if row.status != "fail" or not is_control(row.control):
            return row
        matching = [w for w in self.items if w.covers(row)]
        live = next((w for w in matching if w.live(self.today)), None)
        if live:
            return dataclasses.replace(row, status="waived", waiver=live.record())
        if matching:
            latest = max(matching, key=lambda w: w.expires)
            note = f"(waiver expired on {latest.expires}, owner {latest.owner})"
            if note not in row.message:
                return dataclasses.replace(row, message=f"{row.message} {note}".strip())
        return row

    def review(self, rows: Iterable[Finding]) -> list[Review]:
        """Each waiver's state against every row of findings.json (all sessions)."""
        rows = list(rows)
        judged = {r.control for r in rows}
        out = []
        for waiver in self.items:
            failing = [r for r in rows if r.status in ("fail", "waived") and waiver.covers(r)]
            if not waiver.live(self.today):
                state = "expired"
            elif failing:
                state = "in use"
            elif waiver.control in judged:
                state = "stale"
            else:
                state = "not judged"
            out.append(Review(waiver, state, len(failing)))
        return out


def warnings(reviews: Iterable[Review]) -> list[str]:
    """One line per waiver that needs its owner's attention (expired or stale)."""
    lines = []
    for r in reviews:
        w = r.waiver
        if r.state == "expired":
            lines.append(f"{w.label()} expired on {w.expires} and waives nothing (owner {w.owner})")
        elif r.state == "stale":
            lines.append(f"{w.label()} is stale: it matches no failing finding (owner {w.owner})")
    return lines


def warn(reviews: Iterable[Review], say: Callable[[str], None]) -> None:
    for line in warnings(reviews):
        say(f"warning: {line}")
