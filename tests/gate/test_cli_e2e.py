"""`fdk-guard e2e` hands its arguments to the e2e layer, or says in one line it is missing."""

from __future__ import annotations

import sys

import pytest

from fdk_guard import cli
from tests.conftest import run_cli


def test_e2e_arguments_reach_the_e2e_layer(gate_env: dict) -> None:
    done = run_cli("e2e", "--help", env=gate_env)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout and "Traceback" not in done.stderr


def test_missing_e2e_layer_is_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import fdk_guard

    monkeypatch.setitem(sys.modules, "fdk_guard.e2e", None)  # import now raises ImportError
    monkeypatch.delattr(fdk_guard, "e2e", raising=False)  # as if never imported
    assert cli.main(["e2e"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("fdk-guard: error: the e2e layer is not available")
