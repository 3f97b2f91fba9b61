"""`fdk-guard e2e`: probe a deployed target (or the local deployment) and report findings.

    fdk-guard e2e [-k TEXT] [PYTEST_PATH ...]

With FDK_SERVER_URL or FDK_TF_OUTPUTS set, that target is probed (fdk_guard.e2e.target);
with neither, the local deployment (fdk_guard.local) is started, probed and stopped.
Everything runs from the installed package (fdk_guard.e2e.suite): the probes, then, when
the environment names a deployment, the live checks. Extra PYTEST_PATHs (checks of your
own) run under pytest with the `target` and `check` fixtures (fdk_guard.e2e.plugin).
The findings are merged into reports/findings.json as session "e2e" and the reports written.
Exit 0 when no control fails, 1 when one does, 2 when the run itself could not happen.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from fdk_guard import findings as findings_mod
from fdk_guard import waivers
from fdk_guard.e2e import suite
from fdk_guard.e2e import target as target_mod
from fdk_guard.errors import GuardError, cli_entry
from fdk_guard.findings import Finding

SESSION = "e2e"


def run(
    target: target_mod.Target,
    paths: Sequence[str] = (),
    keyword: str | None = None,
) -> list[Finding]:
    """Run the probes, the live checks and any pytest `paths` against `target`.

    `keyword` keeps only the checks whose control or name contains it (pytest's -k for
    `paths`). The deadline clock starts here.
    """
    target = replace(target, started=time.monotonic())
    results: list[Finding] = []
    for step in suite.select(suite.probe_steps(target), keyword):
        results += _judged(step)
    live = suite.live_steps()
    if not live:
        print(f"fdk-guard e2e: live checks skipped: {suite.NO_DEPLOYMENT}")
    for step in suite.select(live, keyword):
        results += _judged(step)
    if paths:
        results += _pytest(target, paths, ["-k", keyword] if keyword else [])
    return results


def _judged(step: suite.Step) -> list[Finding]:
    found = step.judge()
    worst = "fail" if any(f.status == "fail" for f in found) else found[0].status
    print(f"  {step.control} {step.engine} {step.name}: {worst}", flush=True)
    return found


def _pytest(target: target_mod.Target, paths: Sequence[str], args: Sequence[str]) -> list[Finding]:
    """Checks of the user's own, as pytest files using the `target` and `check` fixtures."""
    import pytest

    from fdk_guard.e2e import plugin as plugin_module
    from fdk_guard.e2e.plugin import FindingsPlugin

    plugin = FindingsPlugin(target)
    # httpx has already imported anyio, whose pytest plugin then warns that it cannot be
    # assertion-rewritten: noise for the reader, so silenced.
    quiet = ["-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    code = pytest.main(
        [*paths, *quiet, "--no-header", "-v", *args], plugins=[plugin, plugin_module]
    )
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        where = " ".join(paths)
        raise GuardError(f"the checks in {where} could not run (pytest exit {code.name})")
    return list(plugin.findings)


@contextmanager
def local_target() -> Iterator[target_mod.Target]:
    """Start the local deployment, yield its Target, stop it.

    os.environ points at the deployment meanwhile: the live checks read FDK_TF_OUTPUTS and
    FDK_AWS_ENDPOINT_URL from it, and the user's FDK_E2E_DEADLINE is kept.
    """
    from fdk_guard.local import e2e_environment

    with e2e_environment() as env, _environ(env):
        yield target_mod.from_env(origin="the local deployment")


@contextmanager
def _environ(extra: Mapping[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _root() -> str:
    """The root findings.json is about: the same the lint/plan sessions name."""
    try:
        from fdk_guard import config

        return str(config.load().tf_dir)
    except (ImportError, GuardError):
        return str(Path(os.environ.get("FDK_TF_DIR", "reference")).resolve())


def report(new: list[Finding]) -> int:
    """Merge `new` as session e2e, write the reports, print a summary; the exit code."""
    rules = waivers.Waivers.for_root(Path(_root()))
    new = rules.apply(new)
    rows = findings_mod.merge(new, SESSION, _root())
    review = rules.review(rows)
    directory = findings_mod.reports_dir()
    try:
        from fdk_guard.reports import write_all
    except ImportError:
        print(f"fdk-guard e2e: reports module not available; wrote {directory}/findings.json")
    else:
        write_all(rows, directory, title="fdk-guard e2e", waivers=review)
    _summary(new, directory)
    waivers.warn(review, print)
    return findings_mod.exit_code(new)


def _summary(new: list[Finding], directory: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="fdk-guard e2e", show_lines=False)
    for column in ("control", "status", "engine", "message"):
        table.add_column(column, overflow="fold")
    style = {"pass": "green", "fail": "bold red", "deferred": "yellow", "waived": "cyan"}
    for f in new:
        status = f"[{style.get(f.status, 'dim')}]{f.status}[/]"
        message = f.message.removeprefix(f"{f.control}: ")
        table.add_row(f.control, status, f.engine, message)
    console = Console(stderr=False, width=140)
    console.print(table)
    failed = sum(f.status == "fail" for f in new)
    console.print(
        f"{len(new)} finding(s), {failed} failing; reports in {directory}/", highlight=False
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fdk-guard e2e", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="pytest files or folders of your own checks")
    parser.add_argument(
        "-k", dest="keyword", help="only the checks whose control or name contains this"
    )
    return parser


@cli_entry
def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    waivers.Waivers.for_root(Path(_root()))  # a malformed waiver file: exit 2 before probing
    if target_mod.configured():
        target = target_mod.from_env()
        print(f"fdk-guard e2e: probing {target.server_url} (from the environment)")
        return report(run(target, args.paths, args.keyword))

    print("fdk-guard e2e: no target configured (FDK_SERVER_URL, FDK_TF_OUTPUTS unset)")
    with local_target() as target:
        print(f"fdk-guard e2e: probing {target.origin} at {target.server_url}")
        found = run(target, args.paths, args.keyword)
    return report(found)
