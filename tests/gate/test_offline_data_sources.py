"""Offline plans read the data sources community modules use, from a local AWS emulator."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from urllib.parse import urlsplit

import pytest

from fdk_guard.plangraph import PlanGraph, is_unknown
from fdk_guard.terraform import OFFLINE_MESSAGE, emulator, plan_root
from fdk_guard.terraform import plan as plan_module
from fdk_guard.terraform.plan import cache_key
from tests.conftest import REPO, run_cli

ROOT = REPO / "tests" / "fixtures" / "roots" / "data-sources"


def _listening(url: str) -> bool:
    parts = urlsplit(url)
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((parts.hostname, parts.port)) == 0


@pytest.mark.slow
def test_caller_identity_and_availability_zones_plan_offline(gate_env: dict) -> None:
    result = plan_root(ROOT, None, use_cache=False)
    assert result.offline
    outputs = result.plan["planned_values"]["outputs"]
    assert outputs["account_id"]["value"] == emulator.ACCOUNT_ID == "123456789012"
    assert outputs["azs"]["value"] == ["eu-west-1a", "eu-west-1b"]
    group = next(
        r for r in result.plan["resource_changes"] if r["type"] == "aws_cloudwatch_log_group"
    )
    assert group["change"]["after"]["name"] == "/data-sources/123456789012"


@pytest.mark.slow
def test_what_an_offline_lookup_found_is_unseen_by_the_graph(gate_env: dict) -> None:
    """The empty emulator's answer (no subnet) must not be judged as the account's."""
    result = plan_root(ROOT, None)
    group = next(r for r in result.plan["resource_changes"] if r["type"] == "aws_db_subnet_group")
    assert not group["change"]["after"].get("subnet_ids")  # the plan itself shows none
    graph = PlanGraph(result.plan, result.sources)
    assert graph.fabricated == {"data.aws_subnets.private"}  # not the account, nor its zones
    ids = graph.value(graph.resources["aws_db_subnet_group.this"], "subnet_ids")
    assert is_unknown(ids) and "looked up offline" in ids.reason
    name = graph.value(graph.resources["aws_cloudwatch_log_group.app"], "name")
    assert name == "/data-sources/123456789012"


@pytest.mark.slow
def test_cli_says_where_data_sources_come_from(gate_env: dict) -> None:
    env = {**gate_env, "FDK_TF_DIR": str(ROOT), "FDK_TF_VARS": ""}
    done = run_cli("plan", env=env)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert OFFLINE_MESSAGE in done.stdout
    assert "data sources are answered by a local AWS emulator" in OFFLINE_MESSAGE


def test_emulator_is_shared_while_used_and_stopped_after() -> None:
    with emulator.running() as first, emulator.running() as second:
        url = first()
        assert url == second() and url.startswith("http://127.0.0.1:")
        assert _listening(url)
    assert not _listening(url)


def test_emulator_stops_when_the_plan_fails() -> None:
    with pytest.raises(RuntimeError), emulator.running() as endpoint:
        url = endpoint()
        raise RuntimeError("terraform plan failed")
    assert not _listening(url)


def test_the_emulator_stops_while_terraform_shows_the_plan(tmp_path, monkeypatch) -> None:
    """`terraform show` calls no AWS API: the emulator's stop (0.2-0.5 s) overlaps it, and
    it is stopped when the plan returns. terraform itself is replaced here by its steps."""
    stopped = threading.Event()

    @contextlib.contextmanager
    def running():
        try:
            yield lambda: "http://127.0.0.1:9"
        finally:
            time.sleep(0.2)  # as moto's server takes to stop
            stopped.set()

    seen: dict[str, bool] = {}

    def terraform(args, cwd, **kwargs):
        if args[0] == "show":  # the emulator is stopping beside it, not after it
            seen["stopped during show"] = stopped.wait(10)
            return subprocess.CompletedProcess(args, 0, '{"format_version": "1.2"}', "")
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(plan_module.emulator, "running", running)
    monkeypatch.setattr(plan_module, "init", lambda copy_root, env: None)
    monkeypatch.setattr(plan_module.binary, "run", terraform)
    assert plan_module._run_plan(tmp_path, (), offline=True) == {"format_version": "1.2"}
    assert seen == {"stopped during show": True} and stopped.is_set()


def test_offline_environment_sends_every_call_to_the_emulator() -> None:
    user = {
        "PATH": "/usr/bin",
        "AWS_ENDPOINT_URL_STS": "https://sts.example.com",
        "AWS_ACCESS_KEY_ID": "AKIAREALKEY",
        "AWS_SECRET_ACCESS_KEY": "real-secret",
        "AWS_SESSION_TOKEN": "real-token",
        "AWS_PROFILE": "prod",
    }
    env = emulator.offline_env(user, "http://127.0.0.1:4566")
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4566"
    assert env["PATH"] == "/usr/bin"
    assert not {k for k in env if k.startswith("AWS_ENDPOINT_URL_")}
    assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} & set(env)
    assert "AWS_PROFILE" not in env


def test_the_emulators_port_is_not_part_of_the_cache_key(gate_env, monkeypatch) -> None:
    """The endpoint reaches terraform by environment only: the key is the same every run."""
    args = (ROOT.resolve(), None, (), "1.11.0", True)
    before = cache_key(*args)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:12345")
    assert cache_key(*args) == before
    assert cache_key(*args[:-1], False) != before  # online plans are another entry
