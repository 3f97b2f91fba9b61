"""Offline plans of the reference, made with tftest on a copy, cached by the hash of their inputs.

Why a copy: tftest's teardown deletes `.terraform`, the lock file and state where it runs, and
the offline provider settings go in an override file that must never land in reference/.

Each distinct input set (root files + overlays, var files, terraform and provider versions)
is planned once: in memory for the session, on disk (`.fdk-cache/unit/plans/<key>.json`)
across runs, under a file lock so parallel pytest-xdist workers never plan the same thing
twice. `plans.log` beside it gets one line per plan actually run.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import tftest

REPO = Path(__file__).resolve().parents[2]
# FDK_UNIT_REFERENCE points the unit tests at another copy of the reference (e.g. one broken
# on purpose, to see the failure messages); the default is the repository's reference/.
REFERENCE = Path(os.environ.get("FDK_UNIT_REFERENCE") or REPO / "reference").resolve()
UNIT_DIR = Path(__file__).resolve().parent
EXPOSE_DIR = UNIT_DIR / "expose"
DEFAULT_CACHE = REPO / ".fdk-cache" / "unit"
OVERRIDE_NAME = "fdk_unit_offline_override.tf"


def cache_root() -> Path:
    """Where plans, working copies and the plan log live (FDK_UNIT_CACHE overrides)."""
    return Path(os.environ.get("FDK_UNIT_CACHE") or DEFAULT_CACHE)


# tftest logs every output line (`terraform show -json` included, which holds sensitive
# values in clear) and whole outputs on failure: keep all of it out of logs and reports,
# whatever --log-level says. Failures reach the tests as PlanOutcome.error (stderr only).
logging.getLogger("tftest").setLevel(logging.CRITICAL + 1)

# Files of the root that cannot change a plan, and what a run leaves behind.
_SKIP_SUFFIXES = (".md", ".tfstate", ".backup")
_PROVIDER_BLOCK = re.compile(r'^\s*provider\s+"aws"\s*\{(.*?)^\}', re.M | re.S)
_ALIAS = re.compile(r'^\s*alias\s*=\s*"([^"]+)"', re.M)
_BACKEND = re.compile(r'^\s*(backend\s+"[^"]+"|cloud)\s*\{', re.M)


@dataclass(frozen=True)
class PlanRequest:
    """One plan: var files (later ones win) and overlay folders mirrored into the copy."""

    name: str
    var_files: tuple[Path, ...]
    overlays: tuple[Path, ...] = ()
    expect_error: bool = False


@dataclass
class PlanOutcome:
    request: PlanRequest
    key: str
    plan: dict | None = None
    error: str | None = None  # terraform's diagnostics, one paragraph, when the plan failed
    cached: bool = False
    seconds: float = 0.0
    keep: bool = True  # False for failures of the set-up (init), which are not cached


@dataclass
class PlanStats:
    planned: list[str] = field(default_factory=list)
    from_disk: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"unit plans: {len(self.planned)} run by terraform, "
            f"{len(self.from_disk)} read from the cache"
        )


def _files(folder: Path) -> list[Path]:
    """Plan-relevant files of a folder, in a stable order (hidden and docs left out)."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix in _SKIP_SUFFIXES:
            continue
        found.append(path)
    return found


def _hash_tree(digest, folder: Path, label: str) -> None:
    for path in _files(folder):
        digest.update(f"{label}:{path.relative_to(folder)}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def offline_override(root: Path) -> str:
    """Override file giving every aws provider block of the root fake credentials and the
    skip flags, and forcing the local backend (README "The gate", offline)."""
    settings = (
        '  access_key                  = "fdk-unit-offline"\n'
        '  secret_key                  = "fdk-unit-offline"\n'
        "  skip_credentials_validation = true\n"
        "  skip_requesting_account_id  = true\n"
        "  skip_metadata_api_check     = true\n"
        "  skip_region_validation      = true\n"
    )
    blocks, has_backend = [], False
    for tf in sorted(root.glob("*.tf")):
        text = tf.read_text()
        has_backend = has_backend or bool(_BACKEND.search(text))
        for body in _PROVIDER_BLOCK.findall(text):
            alias = _ALIAS.search(body)
            alias_line = f'  alias                       = "{alias.group(1)}"\n' if alias else ""
            blocks.append(f'provider "aws" {{\n{alias_line}{settings}}}\n')
    if has_backend:
        blocks.append('terraform {\n  backend "local" {}\n}\n')
    return "\n".join(blocks)


class Planner:
    """Plans PlanRequests against copies of `root`, with an in-memory and an on-disk cache."""

    def __init__(
        self,
        root: Path = REFERENCE,
        cache_dir: Path | None = None,
        plugin_dir: str | None = None,
        terraform: str = "terraform",
        base_overlays: tuple[Path, ...] = (EXPOSE_DIR,),
    ) -> None:
        self.root = root
        self.cache_dir = Path(cache_dir or cache_root())
        default_plugins = "/opt/tf-plugins" if Path("/opt/tf-plugins").is_dir() else None
        self.plugin_dir = plugin_dir or os.environ.get("FDK_TF_PLUGIN_DIR") or default_plugins
        self.terraform = terraform
        self.base_overlays = tuple(p for p in base_overlays if p.is_dir())
        self.stats = PlanStats()
        self._memory: dict[str, PlanOutcome] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._tool_versions: str | None = None
        self.env = {
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            "AWS_EC2_METADATA_DISABLED": "true",
            # one provider install shared by every copy (symlinked, not copied: 700 MB)
            "TF_PLUGIN_CACHE_DIR": str(self.cache_dir / "plugin-cache"),
        }
        cli_config = os.environ.get("TF_CLI_CONFIG_FILE")
        if cli_config and not Path(cli_config).exists():
            # a CLI config named but missing only adds a warning to every diagnostic
            empty = self.cache_dir / "empty.tfrc"
            empty.parent.mkdir(parents=True, exist_ok=True)
            empty.touch()
            self.env["TF_CLI_CONFIG_FILE"] = str(empty)

    # --- keys ---------------------------------------------------------------------------

    def tool_versions(self) -> str:
        if self._tool_versions is None:
            try:
                out = subprocess.run(
                    [self.terraform, "version", "-json"],
                    capture_output=True,
                    text=True,
                    timeout=60,
                    check=True,
                ).stdout
                version = json.loads(out)["terraform_version"]
            except (OSError, subprocess.SubprocessError, ValueError, KeyError) as exc:
                raise RuntimeError(f"cannot run {self.terraform} version: {exc}") from exc
            plugins = ""
            if self.plugin_dir:
                plugins = ",".join(
                    str(p.relative_to(self.plugin_dir))
                    for p in sorted(Path(self.plugin_dir).rglob("terraform-provider-*"))
                )
            self._tool_versions = f"terraform {version}; plugins {plugins}"
        return self._tool_versions

    def overlays_of(self, request: PlanRequest) -> tuple[Path, ...]:
        return self.base_overlays + request.overlays

    def root_key(self, overlays: Iterable[Path]) -> str:
        digest = hashlib.sha256()
        _hash_tree(digest, self.root, "root")
        for index, overlay in enumerate(overlays):
            _hash_tree(digest, overlay, f"overlay{index}")
        digest.update(offline_override(self.root).encode())
        return digest.hexdigest()

    def key(self, request: PlanRequest) -> str:
        digest = hashlib.sha256()
        digest.update(self.root_key(self.overlays_of(request)).encode())
        digest.update(self.tool_versions().encode())
        digest.update(CACHE_FORMAT.encode())
        for var_file in request.var_files:
            digest.update(b"\0var-file\0" + Path(var_file).read_bytes())
        return digest.hexdigest()

    # --- running ------------------------------------------------------------------------

    @contextmanager
    def _file_lock(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _thread_lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def workdir(self, overlays: tuple[Path, ...]) -> Path:
        """An initialised copy of the root with the overlays and the offline override."""
        key = self.root_key(overlays)
        work = self.cache_dir / "work" / key[:16]
        with self._thread_lock(f"work:{key}"), self._file_lock(work.with_suffix(".lock")):
            if (work / ".fdk-initialised").exists():
                (work / ".fdk-initialised").touch()
                return work
            if work.exists():
                shutil.rmtree(work)
            shutil.copytree(
                self.root,
                work,
                ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", ".fdk-*"),
            )
            for overlay in overlays:
                shutil.copytree(overlay, work, dirs_exist_ok=True)
            (work / OVERRIDE_NAME).write_text(offline_override(self.root))
            (self.cache_dir / "plugin-cache").mkdir(parents=True, exist_ok=True)
            test = tftest.TerraformTest(str(work), binary=self.terraform, env=self.env)
            # cleanup_on_exit=False: the copy's .terraform is reused by later plans. Inits
            # take turns: terraform's plugin cache is not safe for concurrent installs.
            with self._thread_lock("init"), self._file_lock(self.cache_dir / "init.lock"):
                test.setup(plugin_dir=self.plugin_dir, cleanup_on_exit=False)
            (work / ".fdk-initialised").write_text(key)
            _prune_old_workdirs(work.parent, keep=work)
        return work

    def plan(self, request: PlanRequest) -> PlanOutcome:
        key = self.key(request)
        with self._thread_lock(key):
            if key in self._memory:
                return self._memory[key]
            stored = self.cache_dir / "plans" / f"{key}.json"
            with self._file_lock(stored.with_suffix(".lock")):
                outcome = self._read(stored, request, key)
                if outcome is None:
                    outcome = self._run(request, key)
                    if outcome.keep:
                        self._write(stored, outcome)
                    self.stats.planned.append(request.name)
                    self._log(outcome)
                else:
                    self.stats.from_disk.append(request.name)
            self._memory[key] = outcome
            return outcome

    def outcomes(self) -> list[PlanOutcome]:
        """Every plan this planner made or read so far."""
        with self._guard:
            return list(self._memory.values())

    def plan_many(self, requests: Iterable[PlanRequest], workers: int | None = None) -> dict:
        requests = list(requests)
        workers = workers or int(os.environ.get("FDK_UNIT_WORKERS") or os.cpu_count() or 2)
        if not requests:
            return {}
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(requests)))) as pool:
            outcomes = list(pool.map(self.plan, requests))
        return {o.request: o for o in outcomes}

    def _run(self, request: PlanRequest, key: str) -> PlanOutcome:
        started = time.monotonic()
        outcome = PlanOutcome(request, key)
        try:
            work = self.workdir(self.overlays_of(request))
        except tftest.TerraformTestError as exc:
            outcome.error = "terraform init failed: " + diagnostics(exc.cmd_error or str(exc))
            outcome.keep = False
            return outcome
        test = tftest.TerraformTest(str(work), binary=self.terraform, env=self.env)
        args = tftest.parse_args(
            input=False,
            color=False,
            lock=False,
            tf_var_file=[str(Path(v).resolve()) for v in request.var_files],
        )
        with tempfile.TemporaryDirectory(prefix="fdk-unit-") as tmp:
            plan_file = Path(tmp) / "plan.bin"
            try:
                test.execute_command("plan", *args, f"-out={plan_file}")
                shown = test.execute_command("show", "-no-color", "-json", str(plan_file))
                outcome.plan = scrub(dict(tftest.TerraformPlanOutput(json.loads(shown.out))._raw))
            except tftest.TerraformTestError as exc:
                outcome.error = diagnostics(exc.cmd_error or str(exc))
        outcome.seconds = round(time.monotonic() - started, 1)
        return outcome

    def _read(self, stored: Path, request: PlanRequest, key: str) -> PlanOutcome | None:
        try:
            data = json.loads(stored.read_text())
        except (OSError, ValueError):
            return None
        return PlanOutcome(
            request, key, plan=data.get("plan"), error=data.get("error"), cached=True
        )

    def _write(self, stored: Path, outcome: PlanOutcome) -> None:
        stored.parent.mkdir(parents=True, exist_ok=True)
        tmp = stored.with_suffix(".tmp")
        tmp.write_text(json.dumps({"plan": outcome.plan, "error": outcome.error}))
        tmp.replace(stored)

    def _log(self, outcome: PlanOutcome) -> None:
        verdict = "error" if outcome.error else "ok"
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = f"{stamp} {outcome.key[:12]} {outcome.request.name} {verdict} {outcome.seconds}s\n"
        with self._guard, open(self.cache_dir / "plans.log", "a") as log:
            log.write(line)


def _prune_old_workdirs(folder: Path, keep: Path, max_age_s: float = 86400) -> None:
    """Drop working copies of older reference versions (a day unused) so the cache stays small."""
    now = time.time()
    for work in folder.iterdir():
        marker = work / ".fdk-initialised"
        if work == keep or not work.is_dir() or not marker.exists():
            continue
        if now - marker.stat().st_mtime > max_age_s:
            shutil.rmtree(work, ignore_errors=True)


# Bump when the stored plan format changes (old cache entries are then never read).
CACHE_FORMAT = "2: sensitive values digested, planned_values dropped"


def scrub(plan: dict) -> dict:
    """The plan as kept on disk: every value the plan marks sensitive replaced by its digest
    (sensitive_digest), so inventories can still compare it and no secret is stored; the
    `planned_values` copy (unused here) dropped."""
    plan.pop("planned_values", None)
    declared = plan.get("configuration", {}).get("root_module", {}).get("variables", {})
    for name, value in plan.get("variables", {}).items():
        if declared.get(name, {}).get("sensitive"):
            value["value"] = sensitive_digest(value.get("value"))
    for change in plan.get("resource_changes", []):
        body = change.get("change", {})
        for side in ("before", "after"):
            body[side] = _digest_marked(body.get(side), body.get(f"{side}_sensitive"))
    for change in plan.get("output_changes", {}).values():
        for side in ("before", "after"):
            change[side] = _digest_marked(change.get(side), change.get(f"{side}_sensitive"))
    for module in _modules(plan.get("prior_state", {}).get("values", {}).get("root_module", {})):
        for resource in module.get("resources", []):
            resource["values"] = _digest_marked(
                resource.get("values"), resource.get("sensitive_values")
            )
    return plan


def sensitive_digest(value) -> dict:
    """{"sensitive_sha256": ...} of a value; a JSON document in a string is digested as the
    document it holds (so an inventory may give the mapping)."""
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None
        if isinstance(decoded, dict | list):
            value = decoded
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return {"sensitive_sha256": hashlib.sha256(text.encode()).hexdigest()}


def _digest_marked(value, mask):
    if mask is True:
        return sensitive_digest(value)
    if isinstance(mask, dict) and isinstance(value, dict):
        return {k: _digest_marked(v, mask.get(k)) for k, v in value.items()}
    if isinstance(mask, list) and isinstance(value, list):
        return [_digest_marked(v, mask[i] if i < len(mask) else None) for i, v in enumerate(value)]
    return value


def _modules(module: dict):
    yield module
    for child in module.get("child_modules", []):
        yield from _modules(child)


def generated_files(root: Path) -> set[str]:
    """Working files Terraform or this module would leave in a root (relative paths)."""
    names = (".terraform", ".terraform.lock.hcl", "terraform.tfstate", OVERRIDE_NAME)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.name in names}


_BOX = re.compile(r"^[│╷╵]\s?", re.M)


def diagnostics(text: str) -> str:
    """Terraform's error output as one paragraph: box-drawing margins and wrapping removed."""
    return " ".join(_BOX.sub("", text).split())
