"""A Python tool started before its input exists, waiting on stdin for its arguments.

checkov spends ~4 s importing itself and terraform-compliance ~1.2 s (its steps import
IPython); started while Terraform plans, each has done that by the time the plan JSON is
written. The tool then runs its own entry point, in its own virtualenv, as its script would.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from fdk_guard import children
from fdk_guard.errors import GuardError

# {preload}: imports done while waiting; {run}: the tool's entry point on sys.argv.
_SCRIPT = """
import json, sys, warnings
warnings.simplefilter("ignore")
{preload}
argv = json.loads(sys.stdin.readline() or "null")
if argv is None:
    sys.exit(0)
sys.argv = [{name!r}, *argv]
{run}
"""


# pip's and uv's launcher when the interpreter's path is too long for a shebang line
_PIP_EXEC = re.compile(r"^'{3}exec' ([\"']?)(?P<python>.+?)\1 \"\$0\" \"\$@\"$")


def python_of(script: str) -> str | None:
    """The Python interpreter a tool's script runs with (its shebang, `env python3`, or
    pip's two-line launcher); None when the script is not a Python launcher (a wrapper,
    a binary): the tool can then only be run as itself."""
    try:
        with open(script, encoding="utf-8", errors="replace") as handle:
            head = [handle.readline().strip() for _ in range(2)]
    except OSError:
        return None
    if not head[0].startswith("#!"):
        return None
    words = head[0][2:].split() or [""]
    if Path(words[0]).name == "env" and len(words) > 1:
        words = [shutil.which(words[1]) or ""]
    found = _PIP_EXEC.match(head[1]) if Path(words[0]).name == "sh" else None
    exe = found.group("python") if found else words[0]
    if Path(exe).name.startswith("python") and Path(exe).is_file():
        return exe
    return None


class NotPython(GuardError):
    """The tool's script is not a Python launcher: it cannot be started ahead."""


class Warm:
    """The tool's process, importing; `start(argv)` lets it run, `cancel()` stops it."""

    def __init__(self, name: str, script: str, preload: str, run: str, env: dict) -> None:
        self.name = name
        source = _SCRIPT.format(preload=preload, name=name, run=run)
        python = python_of(script)
        if python is None:
            raise NotPython(f"{script} is not a Python launcher: {name} starts when needed")
        try:
            self.proc = children.popen(  # its own process group: stopped on Ctrl-C/SIGTERM
                [python, "-c", source],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=tempfile.gettempdir(),
            )
        except OSError as err:
            raise GuardError(f"cannot run {name}: {err}") from None

    def start(self, argv: list[str]) -> subprocess.Popen:
        """Hand the tool its arguments; the process then runs as `name argv` would."""
        if self.proc.stdin is None:
            raise GuardError(f"{self.name} was already started or cancelled")
        try:
            self.proc.stdin.write(json.dumps(argv) + "\n")
            self.proc.stdin.close()
        except OSError:
            why = self._died()
            raise GuardError(f"{self.name} stopped before it was given its input: {why}") from None
        finally:
            self.proc.stdin = None  # communicate() must not flush a closed pipe
        return self.proc

    def _died(self) -> str:
        """The last line the process wrote before it ended (its error)."""
        self.proc.stdin = None
        with contextlib.suppress(OSError, ValueError, subprocess.TimeoutExpired):
            _, err = self.proc.communicate(timeout=10)
            lines = (err or "").strip().splitlines()
            if lines:
                return lines[-1]
        return f"exit {self.proc.poll()}"

    def cancel(self) -> None:
        """Stop a process that was never started (or that is still running)."""
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
            self.proc.stdin = None
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()
        children.release(self.proc)
