"""The local deployment's plumbing, without a real apply: emulator lifecycle, teardown on
failure, drift stops the run, the provider override."""

from __future__ import annotations

import os
import socket
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest

from fdk_guard.errors import GuardError
from fdk_guard.local import deployment, emulator
from fdk_guard.local import terraform as local_tf

REFERENCE = Path(__file__).resolve().parents[2] / "reference"


def _port_open(url: str) -> bool:
    parts = urlsplit(url)
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((parts.hostname, parts.port)) == 0


def test_emulator_serves_on_loopback_with_the_extension_and_stops():
    with emulator.moto_server() as endpoint:
        assert urlsplit(endpoint).hostname == "127.0.0.1"
        cf = boto3.client(
            "cloudfront",
            region_name="us-east-1",
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - the emulator's
        )
        created = cf.create_response_headers_policy(
            ResponseHeadersPolicyConfig={"Name": "p", "Comment": "served by the extension"}
        )
        assert cf.get_response_headers_policy(Id=created["ResponseHeadersPolicy"]["Id"])
    assert not _port_open(endpoint)


def test_local_override_points_every_aws_provider_at_path_style(tmp_path):
    (tmp_path / "providers.tf").write_text(
        'provider "aws" {\n  region = "x"\n}\nprovider "aws" {\n  alias = "us_east_1"\n}\n'
    )
    text = local_tf._local_override(tmp_path, "http://127.0.0.1:1")
    assert text.count('provider "aws"') == 2
    assert 'alias = "us_east_1"' in text
    assert text.count("s3_use_path_style = true") == 2


def test_region_and_wasm_urls_from_the_reference_files():
    assert deployment._region(REFERENCE / "examples" / "demo.tfvars") == "ap-southeast-2"
    outputs = {"wasm_urls": {"value": {"staging": "https://s.x", "app": "https://a.x"}}}
    assert deployment._wasm_urls(outputs) == ["https://a.x", "https://s.x"]


class FakeRoot:
    """Stands for LocalRoot: records the lifecycle, fails where told."""

    calls: list[str] = []
    fail_at: str | None = None
    drift_text = ""

    def __init__(self, root, tfvars, workdir, endpoint):
        FakeRoot.calls.append("copy")

    def _step(self, name):
        FakeRoot.calls.append(name)
        if FakeRoot.fail_at == name:
            raise GuardError(f"{name} failed")

    def init(self):
        self._step("init")

    def apply(self, progress=None):
        self._step("apply")

    def drift(self):
        self._step("drift")
        return FakeRoot.drift_text

    def outputs(self, path):
        self._step("outputs")
        return {"server_url": {"value": "https://demo.fdk.fsl.dev"}, "wasm_urls": {"value": {}}}

    def destroy(self, progress=None):
        self._step("destroy")


@pytest.fixture
def fake_root(monkeypatch):
    FakeRoot.calls, FakeRoot.fail_at, FakeRoot.drift_text = [], None, ""
    monkeypatch.setattr(local_tf, "LocalRoot", FakeRoot)
    monkeypatch.setenv("FDK_TF_DIR", str(REFERENCE))
    monkeypatch.delenv("FDK_TF_VARS", raising=False)
    monkeypatch.delenv(deployment.ALLOW_DRIFT, raising=False)
    served = []

    @contextmanager
    def fake_serve(**kwargs):
        served.append(kwargs)

        class Front:
            def env(self):
                return {"FDK_SERVER_URL": kwargs["server_url"]}

        yield Front()

    import fdk_guard.front

    monkeypatch.setattr(fdk_guard.front, "serve", fake_serve)
    return served


def test_full_lifecycle_yields_the_target_environment_then_destroys(fake_root):
    with deployment.e2e_environment() as env:
        assert env["FDK_SERVER_URL"] == "https://demo.fdk.fsl.dev"
        assert env["FDK_TF_OUTPUTS"].endswith("outputs.json")
        assert env["AWS_REGION"] == "ap-southeast-2"
        assert _port_open(env["FDK_AWS_ENDPOINT_URL"])
        assert "destroy" not in FakeRoot.calls
    assert FakeRoot.calls == ["copy", "init", "apply", "drift", "outputs", "destroy"]
    assert not _port_open(env["FDK_AWS_ENDPOINT_URL"])


@pytest.mark.parametrize("fail_at", ["apply", "outputs"])
def test_a_failed_step_still_destroys_and_stops_the_emulator(fake_root, fail_at):
    FakeRoot.fail_at = fail_at
    with pytest.raises(GuardError, match=f"{fail_at} failed"):
        with deployment.e2e_environment():
            pass
    assert FakeRoot.calls[-1] == "destroy"


def test_interrupt_stops_at_once_and_discards_the_emulator(fake_root):
    with pytest.raises(KeyboardInterrupt):
        with deployment.e2e_environment() as env:
            raise KeyboardInterrupt
    assert "destroy" not in FakeRoot.calls  # in-process emulator state: nothing to destroy
    assert not _port_open(env["FDK_AWS_ENDPOINT_URL"])


def test_drift_after_apply_stops_the_run(fake_root):
    FakeRoot.drift_text = "module.s3.aws_cloudfront_distribution.this[0] (update)"
    with pytest.raises(GuardError, match="drift.*aws_cloudfront_distribution"):
        with deployment.e2e_environment():
            pytest.fail("probes must not run on a drifting deployment")
    assert FakeRoot.calls[-1] == "destroy"


def test_terraform_and_its_children_are_stopped_on_timeout(tmp_path, monkeypatch):
    """A terraform that hangs (here a script whose child ignores SIGINT, like a stuck
    provider plugin) is stopped with its whole process group: nothing is left running."""
    fake = tmp_path / "terraform"
    pid_file = tmp_path / "child.pid"
    fake.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pid_file}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setattr(local_tf.binary, "find_binary", lambda: str(fake))
    monkeypatch.setattr(local_tf, "GRACE", 1.0)
    root = local_tf.LocalRoot.__new__(local_tf.LocalRoot)
    root.copy, root.env = tmp_path, {"PATH": "/usr/bin:/bin"}
    with pytest.raises(GuardError, match="timed out"):
        root._run(["apply"], "terraform apply (fake)", timeout=5)  # room on a busy machine
    assert pid_file.is_file(), "the fake terraform never started its child"
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5  # SIGKILL is delivered asynchronously
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # Killed but not yet reaped by init (a zombie) is not running either.
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
