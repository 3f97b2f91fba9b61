"""Plan a root in a working copy, offline when there are no AWS credentials, with a cache.

The cache key is a hash of everything that shapes the plan: the root's files (modules
included), the tfvars, the override files, TF_VAR_* variables, terraform's version, the
plugin folder and the offline switch. Plans are stored redacted (sensitive.redact), so the
cache never holds a secret either.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fdk_guard import config
from fdk_guard.errors import GuardError
from fdk_guard.plangraph.modules import collect_sources
from fdk_guard.terraform import binary, workdir
from fdk_guard.terraform.sensitive import redact

CACHE_FORMAT = "fdk-plan-v2"
OnInit = Callable[[Path, dict], None]


@dataclass(frozen=True)
class PlanRequest:
    root: Path
    tfvars: Path | None = None
    overrides: Sequence[Path] = field(default_factory=tuple)
    use_cache: bool = True


@dataclass(frozen=True)
class PlanResult:
    plan: dict  # redacted `terraform show -json` output
    json_path: Path  # that plan, as a file (in the cache)
    offline: bool
    cached: bool
    workdir_used: Path | None  # the working copy's root (kept: HCL scans of mutations)
    # {module key: {file: text}}: the .tf files of the root and of every module it calls
    # (fdk_guard.plangraph.modules), read after init so registry modules are included
    sources: dict | None = None


def _hash_tree(digest: hashlib._Hash, base: Path) -> None:
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base)
        if any(part in workdir.IGNORED for part in rel.parts) or not path.is_file():
            continue
        if path.name.endswith((".tfstate", ".tfstate.backup", ".tfplan")):
            continue
        digest.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")


def cache_key(
    root: Path, tfvars: Path | None, overrides: Sequence[Path], tf_version: str, offline: bool
) -> str:
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    base = workdir.copy_base(root)
    digest.update(str(root.relative_to(base)).encode() + b"\0")
    _hash_tree(digest, base)
    for extra in ([tfvars] if tfvars else []) + [Path(p) for p in overrides]:
        digest.update(b"file\0" + extra.name.encode() + b"\0" + extra.read_bytes())
    for name in sorted(k for k in os.environ if k.startswith("TF_VAR_")):
        digest.update(f"var\0{name}\0{os.environ[name]}\0".encode())
    if offline:  # the generated override shapes the plan's provider configuration too
        for name, text in sorted(workdir.offline_files(workdir.root_shape(root)).items()):
            digest.update(f"offline\0{name}\0{text}".encode())
    plugins = config.plugin_dir()
    digest.update(f"{tf_version}\0{offline}\0{plugins}".encode())
    return digest.hexdigest()


@contextmanager
def _locked(path: Path):
    """An exclusive lock on `path` (other processes planning the same key wait)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


def init_args(backend: bool = True) -> list[str]:
    args = ["init", "-input=false", "-no-color"]
    plugins = config.plugin_dir()
    if plugins:
        args.append(f"-plugin-dir={plugins}")
    if not backend:
        args.append("-backend=false")
    return args


def init(copy_root: Path, env: dict[str, str], *, backend: bool = True) -> None:
    """`terraform init` in a working copy, linking providers from the shared plugin cache.

    Terraform's plugin cache is not safe for concurrent installs, and an init may write to it
    even when it is filled (seen here as "failed to create directory" under parallel
    mutation plans): inits take turns; they are short, the plans after them run in parallel.
    """
    with _locked(config.cache_dir() / "locks" / "plugins.lock"):
        binary.run(init_args(backend), copy_root, what="terraform init", env=env)


def prepare_copy(
    root: Path, destination: Path, overrides: Sequence[Path] = (), *, offline: bool
) -> Path:
    """A working copy of `root` at `destination`, with overrides and the offline switch."""
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    copy_root = workdir.make_copy(root, destination)
    extra = workdir.offline_files(workdir.root_shape(copy_root)) if offline else {}
    workdir.add_files(copy_root, overrides, extra)
    return copy_root


def _sources_path(json_path: Path) -> Path:
    return json_path.with_name(json_path.name.replace(".json", ".sources.json"))


def _run_plan(
    copy_root: Path,
    tfvars: Path | None,
    offline: bool,
    on_init: OnInit | None = None,
    sources: dict | None = None,
) -> dict:
    env = binary.tf_env({"AWS_EC2_METADATA_DISABLED": "true"} if offline else None)
    init(copy_root, env)
    if sources is not None:
        sources.update(collect_sources(copy_root))
    side = None
    if on_init:
        # e.g. `terraform validate` for lint: it only reads .terraform, so it can share the
        # initialised copy with the plan and run beside it.
        side = threading.Thread(target=on_init, args=(copy_root, env), daemon=True)
        side.start()
    try:
        return _plan_and_show(copy_root, tfvars, env)
    finally:
        if side:
            side.join()


def _plan_and_show(copy_root: Path, tfvars: Path | None, env: dict[str, str]) -> dict:
    plan_args = ["plan", "-input=false", "-no-color", "-lock=false", "-out=fdk.tfplan"]
    if tfvars:
        plan_args.append(f"-var-file={tfvars}")
    binary.run(plan_args, copy_root, what="terraform plan", env=env)
    try:
        shown = binary.run(
            ["show", "-json", "fdk.tfplan"], copy_root, what="terraform show", env=env
        )
    finally:
        # The binary plan holds sensitive values in clear: it does not outlive this call.
        (copy_root / "fdk.tfplan").unlink(missing_ok=True)
    try:
        return json.loads(shown.stdout)
    except ValueError as err:
        raise GuardError(f"terraform show -json printed no JSON: {err}") from None


def check_inputs(root: Path, tfvars: Path | None, overrides: Sequence[Path] = ()) -> None:
    if not root.is_dir():
        raise GuardError(f"Terraform root not found: {root}")
    if tfvars is not None and not tfvars.is_file():
        raise GuardError(f"tfvars file not found: {tfvars}")
    for path in overrides:
        if not Path(path).is_file():
            raise GuardError(f"override file not found: {path}")


def plan_root(
    root: Path,
    tfvars: Path | None,
    overrides: Sequence[Path] = (),
    *,
    use_cache: bool = True,
    on_init: OnInit | None = None,
) -> PlanResult:
    """Plan `root` with `tfvars` and `overrides` in a working copy; the result is redacted.

    `on_init(copy_root, env)`, when given, runs in a thread beside the plan once the copy is
    initialised (not on a cache hit); it must catch its own errors.
    """
    root = Path(root).resolve()
    tfvars = Path(tfvars).resolve() if tfvars else None
    check_inputs(root, tfvars, overrides)
    exe = binary.find_binary()
    tf_version = binary.version(exe)
    offline = not workdir.has_aws_credentials()
    key = cache_key(root, tfvars, overrides, tf_version, offline)
    cache = config.cache_dir()
    json_path = cache / "plans" / f"{key}.json"
    work = cache / "work" / key[:16]
    copy_root = work / root.relative_to(workdir.copy_base(root))

    def cached() -> PlanResult | None:
        sources_path = _sources_path(json_path)
        if not (use_cache and json_path.is_file() and sources_path.is_file()):
            return None
        try:
            plan = json.loads(json_path.read_text())
            sources = json.loads(sources_path.read_text())
        except (OSError, ValueError):
            return None  # a damaged entry is planned again
        used = copy_root if work.is_dir() else None
        return PlanResult(plan, json_path, offline, True, used, sources)

    if hit := cached():
        return hit
    with _locked(cache / "locks" / f"{key}.lock"):
        if hit := cached():  # planned by another process while this one waited
            return hit
        copy_root = prepare_copy(root, work, overrides, offline=offline)
        sources: dict = {}
        plan = redact(_run_plan(copy_root, tfvars, offline, on_init, sources))
        _write_atomic(_sources_path(json_path), json.dumps(sources))
        _write_atomic(json_path, json.dumps(plan))
    return PlanResult(plan, json_path, offline, False, copy_root, sources)


def last_copy(root: Path, tfvars: Path | None, overrides: Sequence[Path] = ()) -> Path | None:
    """The working copy plan_root uses (or used) for these inputs, if it exists."""
    root = Path(root).resolve()
    tfvars = Path(tfvars).resolve() if tfvars else None
    offline = not workdir.has_aws_credentials()
    key = cache_key(root, tfvars, overrides, binary.version(), offline)
    copy_root = config.cache_dir() / "work" / key[:16] / root.relative_to(workdir.copy_base(root))
    return copy_root if copy_root.is_dir() else None


def plan_many(requests: list[PlanRequest], workers: int | None = None) -> list[PlanResult]:
    """Plan several roots (e.g. mutations) in parallel; results in the requests' order."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(requests) or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(plan_root, r.root, r.tfvars, r.overrides, use_cache=r.use_cache)
            for r in requests
        ]
        return [f.result() for f in futures]
