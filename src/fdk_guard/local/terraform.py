"""terraform apply / plan -detailed-exitcode / output / destroy of a copy of the root, on moto.

The root is copied (gate's working-copy helpers: the user's folder is never written); the
offline override gives fake keys and skip flags, and one more override file points every
aws provider configuration at the emulator.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from fdk_guard import children
from fdk_guard.errors import GuardError
from fdk_guard.terraform import binary, plan, workdir

LOCAL_OVERRIDE = "zz_fdk_zlocal_override.tf"
# The emulator answers a call the provider retried (its first answer was slow) with "already
# there": the apply fails though nothing is wrong with the root. What was made is in the
# state (the half-made resource tainted), and one more apply completes it.
EMULATOR_RETRIED = ("InvalidPermission.Duplicate",)
APPLY_TIMEOUT = 1200.0
GRACE = 20.0  # seconds terraform gets after SIGINT to save its state and stop its plugins


def _local_override(copy_root: Path, endpoint: str) -> str:
    """Provider blocks merged over the root's: path-style S3 (the endpoint is an IP)."""
    blocks = []
    for alias in workdir.root_shape(copy_root).aws_aliases:
        head = f'  alias = "{alias}"\n' if alias else ""
        blocks.append('provider "aws" {\n' + head + "  s3_use_path_style = true\n}\n")
    note = f"# Written by fdk-guard: the local deployment on the AWS emulator at {endpoint}.\n"
    return note + "\n".join(blocks)


def _finished(log: Path) -> int:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return 0
    return len(re.findall(r": (Creation|Destruction|Modifications) complete", text))


class LocalRoot:
    """One working copy of the root, applied against the emulator at `endpoint`."""

    def __init__(self, root: Path, tfvars: Path | None, workdir_path: Path, endpoint: str):
        self.tfvars = tfvars.resolve() if tfvars else None
        self.endpoint = endpoint
        self.copy = plan.prepare_copy(root, workdir_path, offline=True)
        (self.copy / LOCAL_OVERRIDE).write_text(_local_override(self.copy, endpoint))
        self.env = binary.tf_env(
            {
                "AWS_ENDPOINT_URL": endpoint,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_EC2_METADATA_DISABLED": "true",
            }
        )
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SHARED_CREDENTIALS_FILE"):
            self.env.pop(name, None)
        self.applied = False

    def _var_args(self) -> list[str]:
        return [f"-var-file={self.tfvars}"] if self.tfvars else []

    def _run(
        self,
        args: list[str],
        what: str,
        *,
        check: bool = True,
        timeout: float = APPLY_TIMEOUT,
        progress: Callable[[int], None] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """terraform in its own process group, its output in a log file beside the copy.

        On Ctrl-C, SIGTERM or a timeout the whole group (terraform and its provider
        plugins) is stopped, so nothing is left running. `progress` gets the number of
        resources terraform has finished so far, about once a second.
        """
        log = self.copy.parent / f"terraform-{args[0]}.log"
        with open(log, "w") as out:
            try:
                proc = children.popen(
                    [binary.find_binary(), *args],
                    cwd=self.copy,
                    env=self.env,
                    stdout=subprocess.PIPE if args[0] in ("output", "show") else out,
                    stderr=out,
                    text=True,
                )
            except OSError as err:
                raise GuardError(f"{what}: cannot run terraform: {err}") from None
            try:
                stdout = self._wait(proc, log, timeout, progress)
            except subprocess.TimeoutExpired:
                children.stop(proc, GRACE)
                raise GuardError(f"{what} timed out after {timeout:.0f}s (log: {log})") from None
            except BaseException:
                children.stop(proc, GRACE)
                raise
            children.release(proc)
        text = log.read_text()
        done = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, text)
        if check and done.returncode != 0:
            raise GuardError(f"{what} failed: {binary.first_error(text or stdout)} (log: {log})")
        return done

    @staticmethod
    def _wait(proc, log: Path, timeout: float, progress) -> str:
        if proc.stdout is not None:
            return proc.communicate(timeout=timeout)[0]
        deadline = time.monotonic() + timeout
        while True:
            try:
                proc.wait(timeout=1)
                return ""
            except subprocess.TimeoutExpired:
                if time.monotonic() > deadline:
                    raise
                if progress:
                    progress(_finished(log))

    def init(self) -> None:
        plan.init(self.copy, self.env)

    def apply(self, progress: Callable[[int], None] | None = None) -> None:
        self.applied = True  # from the first call on, something may exist to destroy
        args = ["apply", "-auto-approve", "-input=false", "-no-color", *self._var_args()]
        try:
            self._run(args, "terraform apply (local)", progress=progress)
        except GuardError as err:
            if not any(answer in str(err) for answer in EMULATOR_RETRIED):
                raise
            self._run(args, "terraform apply (local, once more)", progress=progress)

    def drift(self) -> str:
        """'' when a re-plan shows no changes; else the changed addresses, in one line."""
        done = self._run(
            [
                "plan",
                "-detailed-exitcode",
                "-input=false",
                "-no-color",
                "-lock=false",
                "-out=drift.tfplan",
                *self._var_args(),
            ],
            "terraform plan -detailed-exitcode (local)",
            check=False,
        )
        if done.returncode == 0:
            return ""
        if done.returncode != 2:
            raise GuardError(f"re-plan after apply failed: {binary.first_error(done.stderr)}")
        shown = self._run(["show", "-json", "drift.tfplan"], "terraform show (drift)")
        changes = [
            f"{rc['address']} ({'/'.join(rc['change']['actions'])})"
            for rc in json.loads(shown.stdout).get("resource_changes", [])
            if rc["change"]["actions"] not in (["no-op"], ["read"])
        ]
        return ", ".join(changes) or "changes to outputs only"

    def plan_change(self, out: Path, *args: str) -> Path:
        """A saved plan of a change (`args`, e.g. `-var x=y`) to what is applied: real state."""
        self._run(
            ["plan", "-input=false", "-no-color", "-lock=false", f"-out={out}"]
            + [*self._var_args(), *args],
            "terraform plan of a change (local)",
        )
        return out

    def outputs(self, path: Path) -> dict:
        done = self._run(["output", "-json"], "terraform output")
        path.write_text(done.stdout)
        return json.loads(done.stdout)

    def destroy(self, progress: Callable[[int], None] | None = None) -> None:
        if not self.applied:
            return
        self._run(
            ["destroy", "-auto-approve", "-input=false", "-no-color", *self._var_args()],
            "terraform destroy (local)",
            progress=progress,
        )
