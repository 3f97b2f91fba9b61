"""Finding and running the terraform binary; its errors become one-line GuardErrors."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from fdk_guard import children, config
from fdk_guard.errors import GuardError

MIN_VERSION = (1, 10)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Box-drawing frame terraform draws around diagnostics when colour is on (one char + space).
FRAME = re.compile(r"^[│╷╵] ?")
DEFAULT_TIMEOUT = 900.0
# Go's garbage collector for terraform and its provider plugins (they inherit the
# environment). Most of a plan's CPU is the AWS provider starting, four or five times a
# plan, and building its schemas: collecting less often cuts a plan's CPU by 12-18 %
# (bench/gate.py's floor runs with the same). The memory limit caps what that costs: a heap
# near it is collected as usual, so a large root needs about the memory it did by default. A
# user's own GOGC or GOMEMLIMIT is left as it is.
GO_GC = {"GOGC": "400", "GOMEMLIMIT": "2GiB"}


class TerraformFailed(GuardError):
    """terraform ran and refused: `str()` is its first error in one line (what the gate
    shows); `diagnostics` holds each of its errors in one line (a plan reports every
    failing variable validation at once); `cached` when read back from the plan cache."""

    def __init__(self, message: str, *, what: str, diagnostics=(), cached: bool = False):
        super().__init__(message)
        self.what = what
        self.diagnostics: tuple[str, ...] = tuple(diagnostics)
        self.cached = cached


def find_binary() -> str:
    exe = shutil.which("terraform")
    if not exe:
        raise GuardError("terraform not found on PATH (need Terraform >= 1.10)")
    return exe


@functools.cache
def _version_of(exe: str) -> str:
    try:
        out = subprocess.run(
            [exe, "version", "-json"],
            capture_output=True,
            text=True,
            timeout=60,
            env=tf_env(),
            check=True,
        ).stdout
        return str(json.loads(out)["terraform_version"])
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as err:
        raise GuardError(f"cannot run {exe} version: {err}") from None


def version(exe: str | None = None) -> str:
    """terraform's version, checked against the minimum the suite needs."""
    exe = exe or find_binary()
    found = _version_of(exe)
    parts = tuple(int(p) for p in re.findall(r"\d+", found)[:2])
    if parts < MIN_VERSION:
        raise GuardError(f"terraform {found} at {exe} is too old (need Terraform >= 1.10)")
    return found


def tf_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for terraform: no prompts, one shared provider install (downloads only),
    quiet CLI config, a lighter garbage collector (GO_GC)."""
    env = dict(os.environ)
    env.pop("TF_DATA_DIR", None)  # each working copy keeps its own .terraform
    env.update({"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"})
    if not any(name in env for name in GO_GC):
        env.update(GO_GC)
    cache = config.ensure_cache_dir(env)
    # Providers downloaded from the registry land once in the cache, shared by every working
    # copy. With a mirror (FDK_TF_PLUGIN_DIR) there is nothing to download and init links
    # each copy to the mirror itself: a shared cache would only add a link that every init
    # replaces (a copy has no lock file to vouch for it), under the feet of plans running
    # in other copies ("fork/exec .terraform/providers/...: no such file or directory").
    if not env.get("TF_PLUGIN_CACHE_DIR") and not env.get("FDK_TF_PLUGIN_DIR", "").strip():
        plugins = cache / "plugins"
        plugins.mkdir(parents=True, exist_ok=True)
        env["TF_PLUGIN_CACHE_DIR"] = str(plugins)
    rc = env.get("TF_CLI_CONFIG_FILE")
    if rc and not Path(rc).exists():
        # A missing CLI config file makes terraform print a warning on every call.
        empty = cache / "terraformrc"
        empty.parent.mkdir(parents=True, exist_ok=True)
        if not empty.exists():
            empty.write_text("")
        env["TF_CLI_CONFIG_FILE"] = str(empty)
    if extra:
        env.update(extra)
    return env


# Terraform's umbrella errors: the diagnostics after them say what is wrong.
_UMBRELLA = re.compile(r"encountered problems during initiali[sz]ation", re.IGNORECASE)
_ON = re.compile(r"^\s*on (.+?) line (\d+)(?:, in (.+?))?:\s*$")
_WITH = re.compile(r"^\s*with (\S+?),?\s*$")
_EXCERPT = re.compile(r"^\s*(\d+:|[├│]|\(and \d+ more)")
_MODULE_AT = re.compile(r'module "([^"]+)" at ([^\s:]+):(\d+)')
SUMMARY_LIMIT, DETAIL_LIMIT = 300, 400


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _diagnostics(text: str) -> list[list[str]]:
    """terraform's output split into its `Error:` diagnostics, frame and colour removed."""
    blocks: list[list[str]] = []
    for raw in text.splitlines():
        line = FRAME.sub("", ANSI.sub("", raw)).rstrip()
        if line.startswith(("Error: ", "Warning: ")):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    return [b for b in blocks if b[0].startswith("Error: ")]


def _describe(block: list[str]) -> tuple[str, str, str]:
    """(where, summary, detail) of one diagnostic."""
    summary = block[0][len("Error: ") :].strip()
    where, address, detail = "", "", []
    for line in block[1:]:
        if (found := _ON.match(line)) and not where:
            where = f"{found.group(1)} line {found.group(2)}"
            address = address or (found.group(3) or "")
        elif (found := _WITH.match(line)) and not address:
            address = found.group(1)
        elif line.strip() and not _EXCERPT.match(line):
            detail.append(line.strip())
    if where and address:
        where = f"{where} ({address})"
    return where, summary, " ".join(detail)


# The source line terraform quotes under "on FILE line N:" (a tfvars line holds any value).
_SOURCE = re.compile(r"^\s*\d+: ")
_VALUE_RULE = re.compile(r"^\s*├─+\s*$")
_VALUE = re.compile(r"^\s*│\s*")


_NAMED_VALUE = re.compile(r"^var\.([A-Za-z_][\w-]*) is ")


def diagnostics(text: str, hidden: Collection[str] = ()) -> list[str]:
    """Each `Error:` diagnostic of terraform's output in one line, with the values its
    expression excerpt lists (`var.name is "x"`) but without the quoted source lines.

    A failing validation shows the variable's value even when it is sensitive: the value of
    each variable named in `hidden` is replaced by "(sensitive value)".
    """
    lines = []
    for block in _diagnostics(text):
        kept = []
        for line in block:
            if _SOURCE.match(line) or _VALUE_RULE.match(line):
                continue
            if _VALUE.match(line):
                line = _VALUE.sub("", line)
                named = _NAMED_VALUE.match(line)
                if named and named.group(1) in hidden:
                    line = named.group(0) + "(sensitive value)"
            kept.append(line)
        lines.append(" ".join(" ".join(kept).split()))
    return lines


def first_error(text: str) -> str:
    """Terraform's first error as one line: file and line (and the block), summary, detail.

    The place comes first so that a long message never hides it; an umbrella error
    ("problems during initialisation") gives way to the diagnostic after it.
    """
    blocks = _diagnostics(text)
    if blocks:
        chosen = next((b for b in blocks if not _UMBRELLA.search(b[0])), blocks[0])
        where, summary, detail = _describe(chosen)
        if not where:  # e.g. an unreadable module directory: a later error names the call
            rest = "\n".join("\n".join(b) for b in blocks[blocks.index(chosen) :])
            if found := _MODULE_AT.search(rest):
                where = f'{found.group(2)} line {found.group(3)} (module "{found.group(1)}")'
        parts = (where, _clip(summary, SUMMARY_LIMIT), _clip(detail, DETAIL_LIMIT))
        return ": ".join(p for p in parts if p)
    meaningful = [ANSI.sub("", ln).strip() for ln in text.splitlines() if ln.strip()]
    return _clip(meaningful[0], SUMMARY_LIMIT) if meaningful else "no output"


def run(
    args: Sequence[str],
    cwd: Path,
    *,
    what: str,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    check: bool = True,
    input: str | None = None,  # noqa: A002 - as subprocess.run names it
    hidden: Collection[str] = (),
) -> subprocess.CompletedProcess[str]:
    """Run `terraform ARGS` in `cwd`; a failure raises TerraformFailed with terraform's
    reason (`hidden`: sensitive variables whose values its diagnostics must not show).

    terraform runs in a process group of its own (fdk_guard.children): on a timeout or an
    interrupt it is stopped together with its provider plugins.
    """
    exe = find_binary()
    timeout = timeout or float(os.environ.get("FDK_TF_TIMEOUT", DEFAULT_TIMEOUT))
    try:
        done = children.run(
            [exe, *args],
            cwd=cwd,
            env=dict(env) if env is not None else tf_env(),
            timeout=timeout,
            input=input,
        )
    except subprocess.TimeoutExpired:
        raise GuardError(f"{what} timed out after {timeout:.0f}s (FDK_TF_TIMEOUT)") from None
    except OSError as err:
        raise GuardError(f"{what}: cannot run terraform: {err}") from None
    if check and done.returncode != 0:
        output = done.stderr or done.stdout
        raise TerraformFailed(
            f"{what} failed: {first_error(output)}",
            what=what,
            diagnostics=diagnostics(output, hidden),
        )
    return done
