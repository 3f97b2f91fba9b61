"""Finding and running the terraform binary; its errors become one-line GuardErrors."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from fdk_guard import config
from fdk_guard.errors import GuardError

MIN_VERSION = (1, 10)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Box-drawing frame terraform draws around diagnostics when colour is on.
FRAME = re.compile(r"^[\s│╷╵]+")
DEFAULT_TIMEOUT = 900.0


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
    """Environment for terraform: no prompts, one shared provider install, quiet CLI config."""
    env = dict(os.environ)
    env.pop("TF_DATA_DIR", None)  # each working copy keeps its own .terraform
    env.update({"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"})
    cache = config.cache_dir(env)
    if not env.get("TF_PLUGIN_CACHE_DIR"):
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


def first_error(text: str) -> str:
    """The first diagnostic of terraform's output as one line: summary, place, detail."""
    lines = [FRAME.sub("", ANSI.sub("", line)).rstrip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if line.startswith("Error: "):
            summary = line[len("Error: ") :].strip()
            where, detail = "", ""
            for follow in lines[i + 1 :]:
                if follow.startswith(("Error: ", "Warning: ")):
                    break
                located = re.match(r"^\s*on (.+? line \d+)", follow)
                if located and not where:
                    where = located.group(1).split(",")[0]
                elif follow and not follow[0].isspace() and not detail:
                    detail = follow.strip()
            return ": ".join(p for p in (summary, f"on {where}" if where else "", detail) if p)
    meaningful = [ln.strip() for ln in lines if ln.strip()]
    return meaningful[0] if meaningful else "no output"


def run(
    args: Sequence[str],
    cwd: Path,
    *,
    what: str,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `terraform ARGS` in `cwd`; a failure raises GuardError with terraform's reason."""
    exe = find_binary()
    timeout = timeout or float(os.environ.get("FDK_TF_TIMEOUT", DEFAULT_TIMEOUT))
    try:
        done = subprocess.run(
            [exe, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            env=dict(env) if env is not None else tf_env(),
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise GuardError(
            f"{what} timed out after {timeout:.0f}s (a data source calling AWS offline?)"
        ) from None
    except OSError as err:
        raise GuardError(f"{what}: cannot run terraform: {err}") from None
    if check and done.returncode != 0:
        raise GuardError(f"{what} failed: {first_error(done.stderr or done.stdout)}")
    return done
