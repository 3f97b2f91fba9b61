"""terraform's environment: a lighter garbage collector unless the user chose one; no
plugin cache shared between working copies when a mirror holds the providers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fdk_guard import config
from fdk_guard.terraform import binary
from fdk_guard.terraform import plan as tf_plan
from tests.conftest import PLUGIN_MIRROR as MIRROR


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


def test_with_a_mirror_no_plugin_cache_is_shared(no_go_settings, tmp_path):
    """Every init replaced the shared cache's link to the mirror, and a plan running in
    another copy at that moment could not start its provider."""
    no_go_settings.delenv("TF_PLUGIN_CACHE_DIR", raising=False)
    no_go_settings.setenv("FDK_TF_PLUGIN_DIR", str(tmp_path))
    assert "TF_PLUGIN_CACHE_DIR" not in binary.tf_env()
    no_go_settings.delenv("FDK_TF_PLUGIN_DIR")
    assert binary.tf_env()["TF_PLUGIN_CACHE_DIR"] == str(tmp_path / "cache" / "plugins")
    no_go_settings.setenv("TF_PLUGIN_CACHE_DIR", str(tmp_path / "mine"))
    assert binary.tf_env()["TF_PLUGIN_CACHE_DIR"] == str(tmp_path / "mine")  # the user's own


@pytest.mark.skipif(not MIRROR.is_dir(), reason="needs the offline provider mirror")
def test_a_working_copy_links_its_provider_to_the_mirror_itself(no_go_settings, tiny_root):
    no_go_settings.setenv("FDK_TF_PLUGIN_DIR", str(MIRROR))
    no_go_settings.delenv("TF_PLUGIN_CACHE_DIR", raising=False)
    cache = config.ensure_cache_dir()
    with tf_plan.working_copy(tiny_root, offline=True) as copy:
        tf_plan.init(copy, binary.tf_env())
        links = [p for p in (copy / ".terraform" / "providers").rglob("*") if p.is_symlink()]
        assert links
        for link in links:
            target = Path(os.readlink(link))
            assert target.is_relative_to(MIRROR), target  # no link of the cache in between
    assert not (cache / "plugins").exists()
