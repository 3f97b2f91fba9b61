"""`fdk-guard e2e`: probe a deployed target (or the local deployment) and report findings.

    fdk-guard e2e [PYTEST_PATH ...] [-k EXPR]

With FDK_SERVER_URL or FDK_TF_OUTPUTS set, the target is probed (fdk_guard.e2e.target);
with neither, the local deployment is started, probed and stopped (fdk_guard.e2e.local).
pytest runs tests/e2e (and any extra paths: live's checks) with a FindingsPlugin; the
findings are merged into reports/findings.json as session "e2e" and the reports written.
Exit 0 when no control fails, 1 when one does, 2 when the run itself could not happen.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from fdk_guard import findings as findings_mod
from fdk_guard import waivers
from fdk_guard.e2e import target as target_mod
from fdk_guard.errors import GuardError, cli_entry
from fdk_guard.findings import Finding

REPO_ROOT = Path(__file__).resolve().parents[3]
E2E_TESTS = REPO_ROOT / "tests" / "e2e"
SESSION = "e2e"

Extra = Callable[[target_mod.Target], list[Finding]]


def run(
    target: target_mod.Target,
    paths: Sequence[str] = (),
    pytest_args: Sequence[str] = (),
    extra: Sequence[Extra] = (),
) -> list[Finding]:
    """Run the probes (tests/e2e, plus `paths`) against `target`; return their findings.

    `extra` callables get the target and return more findings (plain-Python checks that
    need no pytest). The deadline clock starts here.
    """
    import pytest

    from fdk_guard.e2e import plugin as plugin_module
    from fdk_guard.e2e.plugin import FindingsPlugin

    if not E2E_TESTS.is_dir():
        raise GuardError(f"the e2e tests are missing: {E2E_TESTS}")
    plugin = FindingsPlugin(replace(target, started=time.monotonic()))
    # httpx has already imported anyio, whose pytest plugin then warns that it cannot be
    # assertion-rewritten: noise for the reader, so silenced.
    quiet = ["-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    quiet += ["--no-header", "-v"]
    # The repository's pytest settings (markers) even when extra paths lie elsewhere; the
    # fixtures module registered as a plugin serves `target`/`check` to those paths too.
    where = ["--rootdir", str(REPO_ROOT), "-c", str(REPO_ROOT / "pyproject.toml")]
    code = pytest.main(
        [str(E2E_TESTS), *paths, *where, *quiet, *pytest_args],
        plugins=[plugin, plugin_module],
    )
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GuardError(f"the e2e probes could not run (pytest exit {int(code)}: {code.name})")
    results = list(plugin.findings)
    for check in extra:
        results += check(plugin.target)
    return results


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
    parser.add_argument("paths", nargs="*", help="extra pytest paths (e.g. live checks)")
    parser.add_argument("-k", dest="keyword", help="only probes matching this pytest -k")
    return parser


@cli_entry
def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    waivers.Waivers.for_root(Path(_root()))  # a malformed waiver file: exit 2 before probing
    pytest_args = ["-k", args.keyword] if args.keyword else []
    if target_mod.configured():
        target = target_mod.from_env()
        print(f"fdk-guard e2e: probing {target.server_url} (from the environment)")
        return report(run(target, args.paths, pytest_args))

    from fdk_guard.e2e.local import local_target

    print("fdk-guard e2e: no target configured (FDK_SERVER_URL, FDK_TF_OUTPUTS unset)")
    with local_target() as target:
        print(f"fdk-guard e2e: probing {target.origin} at {target.server_url}")
        found = run(target, args.paths, pytest_args)
    return report(found)
