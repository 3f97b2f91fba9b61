"""The local deployment behind `fdk-guard e2e` when no target is configured.

moto on loopback (with our extension) -> terraform apply of a copy of the root ->
`plan -detailed-exitcode` must show no changes -> outputs -> the local TLS front answering
for the names in the outputs -> [probes and live checks run by the e2e runner] ->
terraform destroy -> front and moto stopped. Every step is undone on failure, Ctrl-C or
SIGTERM; terraform runs in its own process group and is stopped with it.
"""

from __future__ import annotations

import os
import re
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from rich.console import Console

from fdk_guard.errors import GuardError

ALLOW_DRIFT = "FDK_LOCAL_ALLOW_DRIFT"  # "1": report drift and carry on (debugging only)
console = Console(stderr=True, highlight=False, soft_wrap=True)


@contextmanager
def _step(title: str) -> Iterator[Callable[[int], None]]:
    """A spinner while a long step runs, fed with terraform's count of finished
    resources and the elapsed time; the step's duration after."""
    start = time.monotonic()
    with console.status(f"{title} ...") as status:

        def progress(finished: int) -> None:
            elapsed = time.monotonic() - start
            status.update(f"{title}: {finished} resources done, {elapsed:.0f}s")

        yield progress
    console.print(f"[green]done[/] {title} ({time.monotonic() - start:.0f}s)")


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (CI cancelling a job) unwinds like Ctrl-C, so the finally blocks run."""

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _region(tfvars: Path | None) -> str:
    text = tfvars.read_text() if tfvars else ""
    found = re.search(r'^\s*region\s*=\s*"([^"]+)"', text, re.MULTILINE)
    return found.group(1) if found else os.environ.get("AWS_REGION", "us-east-1")


def _value(outputs: Mapping, name: str, default=None):
    entry = outputs.get(name)
    return entry.get("value", default) if isinstance(entry, dict) else default


def _wasm_urls(outputs: Mapping) -> list[str]:
    value = _value(outputs, "wasm_urls", {}) or {}
    return sorted(value.values()) if isinstance(value, dict) else list(value)


@contextmanager
def e2e_environment() -> Iterator[dict[str, str]]:
    """Start the local deployment; yield the environment that targets it; tear it down."""
    from fdk_guard import config
    from fdk_guard.front import serve
    from fdk_guard.local.emulator import moto_server
    from fdk_guard.local.terraform import LocalRoot

    settings = config.load()
    root, tfvars = settings.tf_dir, settings.tf_vars
    console.print(f"local deployment: {root} with {tfvars or 'its defaults'} on an AWS emulator")
    with ExitStack() as stack:
        stack.enter_context(_sigterm_as_interrupt())
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fdk-local-")))
        endpoint = stack.enter_context(moto_server())
        console.print(f"AWS emulator (moto) at {endpoint}")
        deployment = LocalRoot(root, tfvars, tmp / "root", endpoint)
        with _step("terraform init"):
            deployment.init()
        stack.push(_destroyer(deployment))  # from here on, always destroyed
        with _step("terraform apply (about 2 minutes)") as progress:
            deployment.apply(progress)
        with _step("terraform plan -detailed-exitcode (drift check)"):
            drift = deployment.drift()
        if drift:
            message = f"terraform plan after apply shows changes (drift): {drift}"
            if os.environ.get(ALLOW_DRIFT) != "1":
                raise GuardError(message)
            console.print(f"[yellow]warning[/] {message}")
        outputs_path = tmp / "outputs.json"
        outputs = deployment.outputs(outputs_path)
        database = _value(outputs, "database_endpoint")
        port = _value(outputs, "database_port", 5432)
        front = stack.enter_context(
            serve(
                server_url=_value(outputs, "server_url"),
                wasm_urls=_wasm_urls(outputs),
                database=f"{database}:{port}" if database else None,
            )
        )
        env = {
            **front.env(),
            "FDK_TF_OUTPUTS": str(outputs_path),
            "FDK_AWS_ENDPOINT_URL": endpoint,
            "AWS_REGION": _region(tfvars),
            "AWS_ACCESS_KEY_ID": "testing",  # the emulator's; never real credentials
            "AWS_SECRET_ACCESS_KEY": "testing",
        }
        yield env


def _destroyer(deployment):
    def exit_(exc_type, _exc, _tb) -> bool:
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            # The emulator's state lives in this process and goes with it: nothing to
            # destroy, and the user asked to stop now.
            console.print("interrupted: the emulator and its state are discarded")
            return False
        _destroy(deployment)
        return False

    return exit_


def _destroy(deployment) -> None:
    try:
        with _step("terraform destroy") as progress:
            deployment.destroy(progress)
    except GuardError as err:  # the emulator goes away with us; say so, do not mask
        console.print(f"[red]destroy failed[/] {err}")
        raise
