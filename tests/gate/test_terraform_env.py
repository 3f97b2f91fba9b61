"""terraform's environment: a lighter garbage collector unless the user chose one."""

from __future__ import annotations

import pytest

from fdk_guard.terraform import binary


@pytest.fixture
def no_go_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("FDK_CACHE_DIR", str(tmp_path / "cache"))
    for name in binary.GO_GC:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_terraform_and_its_plugins_collect_garbage_less_often(no_go_settings):
    env = binary.tf_env()
    assert env["GOGC"] == "400"
    assert env["GOMEMLIMIT"] == "2GiB"


@pytest.mark.parametrize("name", ["GOGC", "GOMEMLIMIT"])
def test_a_users_own_go_setting_is_left_alone(no_go_settings, name):
    no_go_settings.setenv(name, "off" if name == "GOGC" else "512MiB")
    env = binary.tf_env()
    assert env[name] == ("off" if name == "GOGC" else "512MiB")
    assert [n for n in binary.GO_GC if n in env] == [name]  # the other one is not added
