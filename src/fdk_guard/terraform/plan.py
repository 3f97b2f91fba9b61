"""Plan a root in a working copy, offline when there are no AWS credentials, with a cache.

The cache key is a hash of everything that shapes the plan: the root's files (modules
included), the var files, the files laid into the copy (override files, overlay folders),
TF_VAR_* variables, terraform's version, the plugin folder, the offline switch and the
emulator answering offline data sources. Plans are stored redacted (sensitive.redact), so
the cache never holds a secret either. Equal inputs give one key whoever asks (the gate, a
test layer), so each distinct root, var files and overlays is planned once.

Each entry of <cache>/plans/ is <key>.json (the redacted plan), <key>.sources.json (the
.tf files of the root and its modules; never a tfvars) and, when asked for,
<key>.digests.json (a digest of each sensitive value: `sensitive="digest"`) or
<key>.error.json (a plan Terraform refused, kept with `keep_failure=True`).

Working copies are temporary: one per plan, under <cache>/work/<pid>@<host>-<random>/, removed when
the plan ends (also on a failure or an interrupt). A copy holds whatever the root folder
holds (a terraform.tfvars, *.auto.tfvars), so it must not outlive the run; copies left by
a process that was killed outright are removed by the next run.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fdk_guard import config
from fdk_guard.errors import GuardError
from fdk_guard.plangraph.modules import collect_sources
from fdk_guard.terraform import binary, emulator, workdir
from fdk_guard.terraform.binary import TerraformFailed
from fdk_guard.terraform.sensitive import (
    declared_secrets,
    digests,
    redact,
    scrub,
    with_digests,
)

CACHE_FORMAT = "fdk-plan-v4"
SENSITIVE_MODES = ("redact", "digest")
VarFiles = Path | Sequence[Path] | None
OnInit = Callable[[Path, dict], None]
PLAN_STEP = "terraform plan"
OFFLINE_DATA_HINT = (
    "(offline, data sources are read from an empty local AWS emulator: give such values"
    " to the root as variables)"
)
# A working copy is named <pid>@<host>-<random>: the process it belongs to.
_HOST = socket.gethostname()
_OWNED = re.compile(r"^(\d+)@(.+)-[^-]+$")
_LEGACY = re.compile(r"^[0-9a-f]{16}$")  # copies earlier versions kept, named by cache key
STALE_AFTER = 86400.0  # seconds: a copy of another machine (a shared cache) is surely dead


@dataclass(frozen=True)
class PlanRequest:
    """One plan for plan_many; the fields are plan_root's arguments."""

    root: Path
    tfvars: VarFiles = None  # one var file, or several (later ones win)
    overrides: Sequence[Path] = field(default_factory=tuple)
    use_cache: bool = True
    overlays: Sequence[Path] = field(default_factory=tuple)
    keep_failure: bool = False
    sensitive: str = "redact"


@dataclass(frozen=True)
class PlanResult:
    plan: dict  # redacted `terraform show -json` output
    json_path: Path  # that plan, as a file (in the cache)
    offline: bool
    cached: bool
    workdir_used: Path | None = None  # always None: working copies end with their plan
    # {module key: {file: text}}: the .tf files of the root and of every module it calls
    # (fdk_guard.plangraph.modules), read after init so registry modules are included
    sources: dict | None = None


def _hash_tree(digest: hashlib._Hash, base: Path) -> None:
    for path in workdir.files_to_copy(base):
        rel = path.relative_to(base)
        digest.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")


def var_files(tfvars: VarFiles) -> tuple[Path, ...]:
    """The var files as a tuple (none, one or several)."""
    if tfvars is None:
        return ()
    if isinstance(tfvars, str | Path):
        return (Path(tfvars),)
    return tuple(Path(p) for p in tfvars)


def cache_key(
    root: Path,
    tfvars: VarFiles,
    overrides: Sequence[Path],
    tf_version: str,
    offline: bool,
    *,
    overlays: Sequence[Path] = (),
) -> str:
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    base = workdir.copy_base(root)
    digest.update(str(root.relative_to(base)).encode() + b"\0")
    _hash_tree(digest, base)
    for path in var_files(tfvars):  # in order: later files win
        digest.update(b"vars\0" + path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    # where a file lands, not where it came from: an override file and an overlay folder
    # holding it give the same copy, so the same key
    for rel, src in workdir.placements(overrides, overlays):
        digest.update(b"place\0" + rel.encode() + b"\0" + src.read_bytes() + b"\0")
    for name in sorted(k for k in os.environ if k.startswith("TF_VAR_")):
        digest.update(f"var\0{name}\0{os.environ[name]}\0".encode())
    if offline:  # the generated override shapes the plan's provider configuration too
        for name, text in sorted(workdir.offline_files(workdir.root_shape(root)).items()):
            digest.update(f"offline\0{name}\0{text}".encode())
    plugins = config.plugin_dir()
    digest.update(f"{tf_version}\0{offline}\0{plugins}".encode())
    if offline:  # the emulator's answers (account id, AZs) are part of the plan
        digest.update(f"\0{emulator.version()}".encode())
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
    """`terraform init` in a working copy, linking providers from the mirror
    (FDK_TF_PLUGIN_DIR) or from the shared plugin cache (downloads; binary.tf_env).

    Terraform's plugin cache is not safe for concurrent installs, and an init may write to it
    even when it is filled (seen here as "failed to create directory" under parallel
    mutation plans): inits take turns; they are short, the plans after them run in parallel.
    """
    with _locked(config.ensure_cache_dir() / "locks" / "plugins.lock"):
        binary.run(init_args(backend), copy_root, what="terraform init", env=env)
    _checked_once(copy_root)


# One `hashes = [...]` attribute of a provider block in a lock file, as terraform writes it.
_LOCK_HASHES = re.compile(r"^[ \t]*hashes[ \t]*=[ \t]*\[[^\]]*\][ \t]*\n", re.MULTILINE)


def _checked_once(copy_root: Path) -> None:
    """Keep the copy's lock file without its checksums, once `init` has checked them.

    Every later command (validate, plan, show, apply) hashes each provider package against
    the lock's checksums again: about 0.7 s apiece for the AWS provider's 700 MB. `init` has
    just installed the packages and checked them against the lock file copied from the root
    (refusing a mismatch), or recorded them: the check is not repeated in a copy that lives
    for seconds. The versions stay locked; the root's own lock file is never touched.
    """
    lock = copy_root / ".terraform.lock.hcl"
    try:
        lock.write_text(_LOCK_HASHES.sub("", lock.read_text()))
    except FileNotFoundError:
        return  # nothing to lock: no provider
    except OSError as err:
        raise GuardError(f"cannot rewrite the working copy's lock file: {err}") from None


def prepare_copy(
    root: Path,
    destination: Path,
    overrides: Sequence[Path] = (),
    *,
    offline: bool,
    overlays: Sequence[Path] = (),
) -> Path:
    """A working copy of `root` at `destination`, with overrides, overlay folders (their
    files at their paths under the root) and the offline switch."""
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    copy_root = workdir.make_copy(root, destination)
    extra = workdir.offline_files(workdir.root_shape(copy_root)) if offline else {}
    workdir.add_files(copy_root, workdir.placements(overrides, overlays), extra)
    return copy_root


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: alive
    return True


def _abandoned(entry: Path) -> bool:
    if _LEGACY.match(entry.name):
        return True
    owner = _OWNED.match(entry.name)
    if owner and owner.group(2) == _HOST:
        return not _alive(int(owner.group(1)))
    try:  # another machine's, or not named by us: by age only
        return time.time() - entry.stat().st_mtime > STALE_AFTER
    except OSError:
        return False


def _sweep(work: Path) -> None:
    """Remove working copies whose process is gone (killed before it could clean up)."""
    for entry in work.iterdir():
        if _abandoned(entry):
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def working_copy(
    root: Path, overrides: Sequence[Path] = (), *, offline: bool, overlays: Sequence[Path] = ()
) -> Iterator[Path]:
    """A temporary working copy of `root` (its copy root yielded), removed on the way out.

    It lives under <cache>/work/ (the cache folder is 0700), named after this process so
    that a later run can remove it if this one is killed before its `finally` runs.
    """
    work = config.ensure_cache_dir() / "work"
    work.mkdir(exist_ok=True)
    _sweep(work)
    tmp = Path(tempfile.mkdtemp(dir=work, prefix=f"{os.getpid()}@{_HOST}-"))
    try:
        yield prepare_copy(root, tmp / "copy", overrides, offline=offline, overlays=overlays)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _beside(json_path: Path, kind: str) -> Path:
    """A file kept beside a cached plan: `sources` (the configuration's .tf files, never a
    tfvars), `digests` (of its sensitive values) or `error` (a failure kept)."""
    return json_path.with_name(json_path.name.replace(".json", f".{kind}.json"))


def _sources_path(json_path: Path) -> Path:
    return _beside(json_path, "sources")


def _hidden(copy_root: Path) -> set[str]:
    """Names of the sensitive variables of every folder of the copy (root and modules)."""
    marked = [d for d in (copy_root, *copy_root.parents) if (d / workdir.COPY_MARK).exists()]
    top = marked[0] if marked else copy_root  # the copied folder (modules above the root)
    folders = {p.parent for p in top.rglob("*.tf")} | {copy_root}
    return set().union(*(workdir.sensitive_variables(f) for f in folders))


def _run_plan(
    copy_root: Path,
    tfvars: Sequence[Path],
    offline: bool,
    on_init: OnInit | None = None,
    on_failure: OnInit | None = None,
    sources: dict | None = None,
) -> dict:
    env = binary.tf_env()
    with contextlib.ExitStack() as stack:
        if offline:  # the emulator starts while init runs
            endpoint = stack.enter_context(emulator.running())
        # `terraform show` calls no AWS API: the emulator stops beside it (its server takes
        # 0.2-0.5 s to stop), and is stopped when this returns, as on any error.
        stopping = _Closing(stack)
        init(copy_root, env)
        if sources is not None:  # every module is in place now, registry ones included
            sources.update(collect_sources(copy_root))
        if offline:
            env = emulator.offline_env(env, endpoint())
        side = None
        if on_init:
            # e.g. `terraform validate` for lint: it only reads .terraform, so it can share
            # the initialised copy with the plan and run beside it.
            side = threading.Thread(target=on_init, args=(copy_root, env), daemon=True)
            side.start()
        try:
            after_plan = stopping.start if offline else None
            return _plan_and_show(copy_root, tfvars, env, after_plan=after_plan)
        except GuardError as err:
            if on_failure:  # the copy is still there, initialised: e.g. validate it
                on_failure(copy_root, env)
            if offline and "(data." in str(err):
                if isinstance(err, TerraformFailed):
                    hinted = f"{err} {OFFLINE_DATA_HINT}"
                    raise TerraformFailed(
                        hinted, what=err.what, diagnostics=err.diagnostics
                    ) from None
                raise GuardError(f"{err} {OFFLINE_DATA_HINT}") from None
            raise
        finally:
            stopping.join()
            if side:
                side.join()


class _Closing:
    """An ExitStack closed in a thread once started; join() waits, and re-raises its error."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self._stack = stack
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def _close(self) -> None:
        try:
            self._stack.close()
        except BaseException as err:  # noqa: BLE001 - re-raised by join()
            self._error = err

    def start(self) -> None:
        self._thread = threading.Thread(target=self._close, daemon=True)
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            if self._error is not None:
                raise self._error


def _plan_and_show(
    copy_root: Path,
    tfvars: Sequence[Path],
    env: dict[str, str],
    after_plan: Callable[[], None] | None = None,
) -> dict:
    plan_args = ["plan", "-input=false", "-no-color", "-lock=false", "-out=fdk.tfplan"]
    plan_args += [f"-var-file={path}" for path in tfvars]
    binary.run(plan_args, copy_root, what=PLAN_STEP, env=env, hidden=_hidden(copy_root))
    if after_plan is not None:
        after_plan()
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


def check_inputs(
    root: Path, tfvars: VarFiles, overrides: Sequence[Path] = (), overlays: Sequence[Path] = ()
) -> None:
    if not root.is_dir():
        raise GuardError(f"Terraform root not found: {root}")
    for path in var_files(tfvars):
        if not path.is_file():
            raise GuardError(f"tfvars file not found: {path}")
    for path in overrides:
        if not Path(path).is_file():
            raise GuardError(f"override file not found: {path}")
    for path in overlays:
        if not Path(path).is_dir():
            raise GuardError(f"overlay folder not found: {path}")


def _kept_failure(err: TerraformFailed, root: Path, tfvars: Sequence[Path]) -> TerraformFailed:
    """The failure as the cache keeps it: secrets the inputs give scrubbed from its text."""
    secrets = set(declared_secrets(root, None))
    for path in tfvars:
        secrets |= declared_secrets(root, path)
    return TerraformFailed(
        scrub(str(err), secrets),
        what=err.what,
        diagnostics=[scrub(d, secrets) for d in err.diagnostics],
    )


def _read_json(path: Path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None  # absent or damaged: planned again


def plan_root(
    root: Path,
    tfvars: VarFiles,
    overrides: Sequence[Path] = (),
    *,
    use_cache: bool = True,
    on_init: OnInit | None = None,
    on_failure: OnInit | None = None,
    overlays: Sequence[Path] = (),
    keep_failure: bool = False,
    sensitive: str = "redact",
) -> PlanResult:
    """Plan `root` with `tfvars` (one var file or several, later ones win) in a working
    copy holding `overrides` (files laid into the root) and `overlays` (folders whose files
    land at their paths under the root); the result is redacted.

    `on_init(copy_root, env)`, when given, runs in a thread beside the plan once the copy is
    initialised (not on a cache hit); it must catch its own errors. `on_failure(copy_root,
    env)` runs when init succeeded but the plan failed, before the copy is removed; the
    plan's GuardError is raised after it.

    `keep_failure`: a plan Terraform refuses (an invalid input, for a test that expects it)
    is cached too: the same TerraformFailed, with every diagnostic in one line each, is
    raised again without planning (`cached` set). Failures of init, timeouts and
    interrupts are never cached. `sensitive="digest"`: the plan holds a digest of each
    sensitive value instead of REDACTED (sensitive.digested; tests only).
    """
    if sensitive not in SENSITIVE_MODES:
        raise ValueError(f"sensitive must be one of {SENSITIVE_MODES}, not {sensitive!r}")
    root = Path(root).resolve()
    tfvars = tuple(p.resolve() for p in var_files(tfvars))
    overlays = tuple(Path(p).resolve() for p in overlays)
    check_inputs(root, tfvars, overrides, overlays)
    exe = binary.find_binary()
    tf_version = binary.version(exe)
    offline = not workdir.has_aws_credentials()
    key = cache_key(root, tfvars, overrides, tf_version, offline, overlays=overlays)
    cache = config.ensure_cache_dir()
    json_path = cache / "plans" / f"{key}.json"
    digested = sensitive == "digest"

    def cached() -> PlanResult | None:
        if not use_cache:
            return None
        plan, sources = _read_json(json_path), _read_json(_sources_path(json_path))
        found = _read_json(_beside(json_path, "digests")) if digested else []
        if plan is not None and sources is not None and found is not None:
            plan = with_digests(plan, found) if digested else plan
            return PlanResult(plan, json_path, offline, True, sources=sources)
        failure = _read_json(_beside(json_path, "error")) if keep_failure else None
        if isinstance(failure, dict):
            raise TerraformFailed(
                failure["message"],
                what=PLAN_STEP,
                diagnostics=failure["diagnostics"],
                cached=True,
            )
        return None

    if hit := cached():
        return hit
    with _locked(cache / "locks" / f"{key}.lock"):
        if hit := cached():  # planned by another process while this one waited
            return hit
        sources: dict = {}
        try:
            with working_copy(root, overrides, offline=offline, overlays=overlays) as copy:
                raw = _run_plan(copy, tfvars, offline, on_init, on_failure, sources)
        except TerraformFailed as err:
            if not (keep_failure and err.what == PLAN_STEP):
                raise
            kept = _kept_failure(err, root, tfvars)
            record = {"message": str(kept), "diagnostics": list(kept.diagnostics)}
            _write_atomic(_beside(json_path, "error"), json.dumps(record))
            raise kept from None
        plan = redact(raw)
        _write_atomic(_sources_path(json_path), json.dumps(sources))
        if digested:
            found = digests(raw)
            _write_atomic(_beside(json_path, "digests"), json.dumps(found))
        _write_atomic(json_path, json.dumps(plan))
    plan = with_digests(plan, found) if digested else plan
    return PlanResult(plan, json_path, offline, False, sources=sources)


def plan_many(
    requests: list[PlanRequest], workers: int | None = None, *, failures: str = "raise"
) -> list[PlanResult | GuardError]:
    """Plan several roots (e.g. mutations) in parallel; results in the requests' order.

    `failures="return"`: a plan that fails gives its GuardError in the list (a test
    expecting a refusal reads it there) instead of raising the first one.
    """
    workers = max(1, min(workers or os.cpu_count() or 1, len(requests) or 1))

    def one(r: PlanRequest) -> PlanResult | GuardError:
        try:
            return plan_root(
                r.root,
                r.tfvars,
                r.overrides,
                use_cache=r.use_cache,
                overlays=r.overlays,
                keep_failure=r.keep_failure,
                sensitive=r.sensitive,
            )
        except GuardError as err:
            if failures == "return":
                return err
            raise

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(one, r) for r in requests]
        return [f.result() for f in futures]
