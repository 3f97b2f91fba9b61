"""A Python tool started before its input exists, waiting on stdin for its arguments.

checkov spends ~4 s importing itself and terraform-compliance ~1.2 s (its steps import
IPython); started while Terraform plans, each has done that by the time the plan JSON is
written. The tool then runs its own entry point, in its own virtualenv, as its script would.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
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


def python_of(script: str) -> str:
    """The interpreter of a tool's virtualenv (its script's shebang, else beside it)."""
    try:
        with open(script, encoding="utf-8", errors="replace") as handle:
            first = handle.readline().strip()
    except OSError:
        first = ""
    if first.startswith("#!") and Path(first[2:].split()[0]).is_file():
        return first[2:].split()[0]
    beside = Path(script).parent / "python"
    return str(beside) if beside.is_file() else sys.executable


class Warm:
    """The tool's process, importing; `start(argv)` lets it run, `cancel()` stops it."""

    def __init__(self, name: str, script: str, preload: str, run: str, env: dict) -> None:
        self.name = name
        source = _SCRIPT.format(preload=preload, name=name, run=run)
        try:
            self.proc = children.popen(  # its own process group: stopped on Ctrl-C/SIGTERM
                [python_of(script), "-c", source],
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
