"""fdk-guard lint | plan | e2e | report  (README "Usage", "Reports and exit codes").

    lint    the tfvars, terraform fmt -check, terraform validate (by planning, in a copy)
    plan    plan FDK_TF_DIR with FDK_TF_VARS (offline without AWS credentials), judge the plan;
            with FDK_PLAN, judge that existing plan (saved or JSON) instead
    e2e     post-deploy probes (fdk_guard.e2e)
    report  rewrite junit.xml / findings.sarif / summary.md / summary.html from
            reports/findings.json (--html: draw summary.html's diagram as SVG)

Exit 0: no control fails; 1: one fails (or fmt/validate do); 2: the suite could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rich.console import Console

from fdk_guard import catalogue, children, config, engines, findings, gate, reports, waivers
from fdk_guard.errors import EXIT_CONTROL_FAILED, EXIT_OK, GuardError, cli_entry
from fdk_guard.findings import Finding
from fdk_guard.reports import terminal
from fdk_guard.terraform import binary, existing, inputs, plan_root, workdir
from fdk_guard.terraform import plan as tf_plan
from fdk_guard.terraform.sensitive import declared_secrets, scrub

PLAN_FILE = "plan.json"
console = Console(highlight=False, soft_wrap=True)


# --- shared ---------------------------------------------------------------------------


def _finish(
    new: list[Finding], session: str, settings: config.Settings, sources: dict | None = None
) -> int:
    """Merge this session's rows, write every report, print the tally; exit code of `new`.

    `sources`: the configuration the plan was made from (as the plan cache keeps it, every
    module's files); without them the reports read the root's own files."""
    # Engines read redacted plans; scrub what a message may echo of the tfvars all the same.
    secrets = declared_secrets(settings.tf_dir, settings.tf_vars)
    new = [
        Finding(
            f.control, f.status, f.engine, scrub(f.resource, secrets), scrub(f.message, secrets)
        )
        for f in new
    ]
    rules = waivers.Waivers.for_root(settings.tf_dir)
    new = rules.apply(new)
    rows = findings.merge(new, session, str(settings.tf_dir), settings.reports)
    review = rules.review(rows)
    reports.write_all(
        rows,
        settings.reports,
        title=f"fdk-guard: {settings.tf_dir.name}",
        root=settings.tf_dir,
        waivers=review,
        sources=sources,
    )
    if new:
        _show(rows, f"{session}: {len(new)} findings", settings.reports)
    else:  # lint: the controls are judged on the plan, by `plan`
        console.print(f"{session}: no control judged here; `plan` judges them on the plan")
    _show_waivers(new, review)
    return findings.exit_code(new)


def _show_waivers(rows: list[Finding], review: list[waivers.Review]) -> None:
    """Each waived finding with its owner and expiry; a warning per expired or stale waiver."""
    for row in rows:
        if row.status == "waived" and row.waiver:
            w = row.waiver
            console.print(
                f"  waived {row.control} {row.resource}: {w['reason']} "
                f"(owner {w['owner']}, expires {w['expires']})",
                markup=False,
            )
    waivers.warn(review, lambda line: console.print(line, markup=False))


def _show(rows: list[Finding], what: str, directory: Path) -> None:
    """One line per control (every session's rows, as summary.md), then the tally."""
    controls = catalogue.load()
    for line in terminal.control_lines(rows, controls):
        console.print(line, markup=False)
    builtin = terminal.builtin_line(rows)
    if builtin:
        console.print(builtin, markup=False)
    console.print(f"{terminal.tally(rows, controls)} ({what}); reports in {directory}/")


def _terraform() -> str:
    exe = binary.find_binary()
    binary.version(exe)
    return exe


# --- lint -----------------------------------------------------------------------------


def _fmt(root: Path) -> list[str]:
    """Files `terraform fmt` would change (an empty list when all are formatted)."""
    done = binary.run(
        ["fmt", "-check", "-recursive", "-no-color", str(root)],
        root,
        what="terraform fmt",
        check=False,
    )
    if done.returncode not in (0, 3):  # 3: some files need formatting
        raise GuardError(f"terraform fmt failed: {binary.first_error(done.stderr)}")
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def _validate_in(copy_root: Path, env: dict[str, str]) -> list[str]:
    """terraform validate in an initialised working copy; the errors as one line each."""
    done = binary.run(
        ["validate", "-json", "-no-color"],
        copy_root,
        what="terraform validate",
        env=env,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except ValueError:
        raise GuardError(f"terraform validate failed: {binary.first_error(done.stderr)}") from None
    errors = []
    for diag in report.get("diagnostics", []):
        if diag.get("severity") != "error":
            continue
        where = diag.get("range") or {}
        place = f"{where.get('filename', '?')}:{where.get('start', {}).get('line', '?')}: "
        errors.append((place if where else "") + diag.get("summary", "error"))
    return errors


def _validate(root: Path) -> list[str]:
    """terraform validate in a throwaway copy of `root`."""
    with tf_plan.working_copy(root, offline=False) as copy_root:
        env = binary.tf_env()
        tf_plan.init(copy_root, env, backend=False)
        return _validate_in(copy_root, env)


def _validate_by_planning(settings: config.Settings) -> list[str]:
    """Validate the root by planning it, into the cache where `plan` will find it.

    `terraform plan` validates the whole configuration before it plans (with the tfvars'
    values, so it sees more than `terraform validate` can), so a plan that succeeds, or one
    cached for the very same inputs, proves the root valid; `plan` (next in `nox -s lint
    plan`) then only judges it. Only when the plan fails does `terraform validate` run, in
    the same initialised copy, to tell configuration errors (listed, exit 1) from a root
    that cannot be planned at all (a tfvars Terraform rejects, a data source that cannot be
    read: the suite cannot run, exit 2, with Terraform's first error). On 2 cores this
    saves a provider start (~7 CPU-seconds).
    """
    found: list[str] = []

    def diagnose(copy_root: Path, env: dict) -> None:
        with contextlib.suppress(GuardError):  # the plan's own error says more
            found.extend(_validate_in(copy_root, env))

    try:
        if gate.tools_configured():  # judge it too, for `plan` to find in the cache
            gate.judged(settings.tf_dir, settings.tf_vars, on_failure=diagnose, keep_going=True)
        else:  # e.g. the pre-commit hook, without the tool virtualenvs
            plan_root(settings.tf_dir, settings.tf_vars, on_failure=diagnose)
    except GuardError:
        if found:
            return found
        raise
    return []


def _check_variable_files(settings: config.Settings) -> None:
    """A tfvars Terraform cannot read stops the run (exit 2); a typo'd variable is shown."""
    for line in inputs.warnings(settings.tf_dir, settings.tf_vars):
        console.print(f"[yellow]{line}[/yellow]")


def lint(settings: config.Settings) -> int:
    _terraform()
    root = settings.tf_dir
    started = time.monotonic()
    _check_variable_files(settings)
    by_planning = os.environ.get("FDK_LINT_PLAN", "1").strip() != "0"
    if by_planning and not workdir.has_aws_credentials():
        console.print(workdir.OFFLINE_MESSAGE)
    # fmt and validate are independent: run them side by side. The controls are judged on
    # the plan (`plan`), where the configuration is merged, evaluated and instanced as
    # Terraform does: a scan of the raw HCL would judge override blocks alone, resources
    # never created and expressions it cannot evaluate.
    with ThreadPoolExecutor(max_workers=2) as pool:
        fmt_job = pool.submit(_fmt, root)
        # With FDK_PLAN, `plan` judges the user's plan: planning here would be wasted.
        if by_planning and not existing.configured():
            validate_job = pool.submit(_validate_by_planning, settings)
        else:
            validate_job = pool.submit(_validate, root)
        unformatted, invalid = fmt_job.result(), validate_job.result()
    code = _finish([], "lint", settings)
    if unformatted:
        console.print(f"terraform fmt: {len(unformatted)} file(s) need `terraform fmt`:")
        for name in unformatted:
            console.print(f"  {name}")
    if not invalid:
        console.print("terraform validate: the configuration is valid")
    if invalid:
        console.print(f"terraform validate: {len(invalid)} error(s):")
        for line in invalid:
            console.print(f"  {line}")
    console.print(f"lint took {time.monotonic() - started:.1f}s")
    return EXIT_CONTROL_FAILED if unformatted or invalid else code


# --- plan -----------------------------------------------------------------------------


def _existing_plan(path: Path, settings: config.Settings) -> tuple[dict, str, dict | None]:
    """The plan FDK_PLAN names (redacted), judged instead of planning FDK_TF_DIR."""
    console.print(f"judging the existing plan {path} (FDK_PLAN), made from {settings.tf_dir}")
    found = existing.load(path, settings.tf_dir)
    return found.plan, f"{found.kind} of Terraform {found.terraform_version}", found.sources


def _new_plan(
    settings: config.Settings, use_cache: bool, saved: Path
) -> tuple[dict, str, list[Finding], dict | None]:
    """Plan FDK_TF_DIR (or take it from the cache) and judge it (or take the findings)."""
    _terraform()
    _check_variable_files(settings)
    if not workdir.has_aws_credentials():
        console.print(workdir.OFFLINE_MESSAGE)
    vars_note = f" with {settings.tf_vars}" if settings.tf_vars else ""
    console.print(f"planning {settings.tf_dir}{vars_note}")
    result, rows = gate.judged(
        settings.tf_dir, settings.tf_vars, use_cache=use_cache, plan_json=saved
    )
    if rows is None:  # cannot happen without keep_going: a judging that cannot run raises
        raise GuardError("the plan was not judged")
    return result.plan, "plan (cached)" if result.cached else "plan", rows, result.sources


def plan(settings: config.Settings, *, use_cache: bool = True) -> int:
    started = time.monotonic()
    settings.reports.mkdir(parents=True, exist_ok=True)
    # One line, as `terraform show -json` prints it: terraform-compliance reads only that.
    saved = (settings.reports / PLAN_FILE).resolve()
    given = existing.configured()
    if given:
        judged_plan, what, sources = _existing_plan(given, settings)
        saved.write_text(json.dumps(judged_plan) + "\n")  # already redacted
        rows = engines.evaluate_plan(saved, judged_plan, settings.tf_dir, sources=sources)
    else:
        judged_plan, what, rows, sources = _new_plan(settings, use_cache, saved)
    console.print(terminal.planned(judged_plan))
    console.print(f"{what} saved to {saved} in {time.monotonic() - started:.1f}s")
    code = _finish(rows, "plan", settings, sources)
    console.print(f"plan session took {time.monotonic() - started:.1f}s")
    return code


# --- report / e2e ---------------------------------------------------------------------


def report(directory: Path, *, draw: bool = False) -> int:
    path = directory / findings.FINDINGS_FILE
    try:
        rows = [Finding.from_dict(r) for r in json.loads(path.read_text())]
    except FileNotFoundError:
        raise GuardError(f"no findings to report: {path} does not exist") from None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise GuardError(f"cannot read {path}: {err}") from None
    try:  # the root these findings are about, written beside them by findings.merge
        root = Path(json.loads((directory / findings.META_FILE).read_text())["root"])
    except (OSError, ValueError, KeyError, TypeError):
        root = None
    located = root if root and root.is_dir() else None
    title = f"fdk-guard: {root.name}" if root else "fdk-guard"
    rules = waivers.Waivers.for_root(located)
    rows = rules.apply(rows)  # waivers may have expired or changed since the sessions ran
    review = rules.review(rows)
    reports.write_all(rows, directory, title=title, root=located, waivers=review)
    if draw and not reports.draw_html(rows, directory, title=title, root=located):
        console.print(f"note: no plan session in {directory}/: summary.html has no diagram")
    _show(rows, f"{len(rows)} findings", directory)
    _show_waivers(rows, review)
    return findings.exit_code(rows)


def e2e(argv: Sequence[str]) -> int:
    try:
        from fdk_guard import e2e as e2e_layer
    except ImportError as err:
        raise GuardError(f"the e2e layer is not available: {err}") from None
    return int(e2e_layer.main(list(argv)) or EXIT_OK)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fdk-guard", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("lint", help="the tfvars, fmt and validate of FDK_TF_DIR")
    plan_cmd = sub.add_parser(
        "plan", help="plan FDK_TF_DIR with FDK_TF_VARS (or take FDK_PLAN) and judge it"
    )
    plan_cmd.add_argument("--no-cache", action="store_true", help="plan again even if cached")
    report_cmd = sub.add_parser("report", help="rewrite the reports from findings.json")
    report_cmd.add_argument(
        "--html", action="store_true", help="draw summary.html's diagram (headless Chromium)"
    )
    sub.add_parser("e2e", help="post-deploy probes (arguments go to the e2e layer)")
    return parser


@cli_entry
def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["e2e"]:
        return e2e(argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "report":
        return report(findings.reports_dir(), draw=args.html)
    settings = config.load()
    waivers.Waivers.for_root(settings.tf_dir)  # a malformed waiver file: exit 2 before any work
    # terraform and the tools run in process groups of their own: Ctrl-C and SIGTERM are
    # forwarded to them here, so that nothing (a 600 MB provider plugin) outlives the run.
    with children.stop_children_on_signals():
        if args.command == "lint":
            return lint(settings)
        return plan(settings, use_cache=not args.no_cache)


if __name__ == "__main__":
    sys.exit(main())
