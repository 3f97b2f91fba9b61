"""A plan the user already made (FDK_PLAN): a saved plan file or its `terraform show -json`.

CI systems with a real backend plan against the real state; the gate judges that plan
instead of planning the root from empty state. A saved plan (`terraform plan -out`) is a zip
archive that only Terraform can read, with the root's providers: it is shown in a temporary,
initialised working copy of the root (the user's folder is never written), and removed with
it. Whatever the input, the plan is redacted (sensitive.redact) before anything keeps it.

Bad input (a missing file, a truncated one, something that is not a plan, a plan JSON of
another format_version major, a plan Terraform reports as errored) is a GuardError: exit 2
with one line.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fdk_guard import config
from fdk_guard.errors import GuardError
from fdk_guard.plangraph.modules import collect_sources
from fdk_guard.terraform import binary, plan
from fdk_guard.terraform.sensitive import redact

ENV = "FDK_PLAN"
FORMAT_MAJOR = "1"  # the plan JSON format this suite reads (`format_version` 1.x)
ZIP_MAGIC = b"PK\x03\x04"
PLAN_ENTRY = "tfplan"  # the member of a saved plan holding the plan itself


@dataclass(frozen=True)
class ExistingPlan:
    plan: dict  # redacted `terraform show -json` output
    source: Path
    kind: str  # "saved plan" | "plan JSON"
    terraform_version: str
    # {module key: {file: text}} of the working copy a saved plan was shown in (registry
    # modules included); None for plan JSON: the graph reads the root's own files
    sources: dict | None = None


def _saved_plan(path: Path, head: bytes) -> bool:
    """True for a saved plan file; GuardError for a damaged or foreign zip archive."""
    if not head.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as err:
        raise GuardError(
            f"{path} looks like a saved plan but cannot be read (truncated?): {err} ({ENV})"
        ) from None
    if PLAN_ENTRY not in names:
        raise GuardError(f"{path} is a zip archive but not a saved Terraform plan ({ENV})")
    return True


def check_json(doc: object, path: Path) -> dict:
    """`doc` if it is a plan JSON this suite can judge; else a GuardError saying why not."""
    if not isinstance(doc, dict) or "format_version" not in doc:
        raise GuardError(f"{path} is JSON but not a Terraform plan (no format_version) ({ENV})")
    version = str(doc["format_version"])
    if version.split(".")[0] != FORMAT_MAJOR:
        made_by = doc.get("terraform_version", "an unknown Terraform")
        raise GuardError(
            f"{path}: plan JSON format_version {version} (from Terraform {made_by}) is not "
            f"supported; need format_version {FORMAT_MAJOR}.x ({ENV})"
        )
    if "planned_values" not in doc and "resource_changes" not in doc:
        what = "a state" if "values" in doc else "something else"
        raise GuardError(f"{path} is {what}, not a plan: no planned_values ({ENV})")
    if doc.get("errored") is True:
        raise GuardError(f"{path} is the plan of a failed `terraform plan` (errored) ({ENV})")
    return doc


def _from_json(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise GuardError(f"{path} is neither a saved plan nor plan JSON ({ENV})") from None
    except OSError as err:
        raise GuardError(f"cannot read {path}: {err} ({ENV})") from None
    try:
        doc = json.loads(text)
    except ValueError as err:
        raise GuardError(
            f"{path} is neither a saved plan nor complete plan JSON (truncated?): {err} ({ENV})"
        ) from None
    return check_json(doc, path)


def _show(saved: Path, root: Path) -> tuple[dict, dict]:
    """`terraform show -json` of a saved plan, in a throwaway initialised copy of `root`."""
    binary.version()  # terraform on PATH and recent enough, or one line saying not
    scratch = config.cache_dir() / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch, prefix="existing-plan-") as tmp:
        copy_root = plan.prepare_copy(root, Path(tmp) / "root", offline=False)
        env = binary.tf_env()
        plan.init(copy_root, env, backend=False)
        sources = collect_sources(copy_root)
        shown = binary.run(
            ["show", "-json", "-no-color", str(saved)],
            copy_root,
            what=f"terraform show of {saved.name}",
            env=env,
        )
    try:
        doc = json.loads(shown.stdout)
    except ValueError as err:
        raise GuardError(f"terraform show -json printed no JSON for {saved}: {err}") from None
    return check_json(doc, saved), sources


def load(path: Path, root: Path) -> ExistingPlan:
    """Read the plan at `path` (saved or JSON) made from `root`; the result is redacted."""
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise GuardError(f"plan file not found: {path} ({ENV})")
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError as err:
        raise GuardError(f"cannot read {path}: {err} ({ENV})") from None
    sources = None
    if _saved_plan(path, head):
        (doc, sources), kind = _show(path, Path(root).resolve()), "saved plan"
    else:
        doc, kind = _from_json(path), "plan JSON"
    version = str(doc.get("terraform_version", "unknown"))
    return ExistingPlan(redact(doc), path, kind, version, sources)


def configured(env: dict[str, str] | None = None) -> Path | None:
    """The plan FDK_PLAN names, or None when it is unset or empty."""
    given = (os.environ if env is None else env).get(ENV, "").strip()
    return Path(given).expanduser() if given else None
