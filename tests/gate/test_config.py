"""The environment contract: FDK_TF_DIR, FDK_TF_VARS, FDK_TF_PLUGIN_DIR, FDK_REPORTS."""

from __future__ import annotations

from pathlib import Path

import pytest

from fdk_guard import config
from fdk_guard.errors import GuardError


def _root(tmp_path: Path, with_demo: bool = True) -> Path:
    root = tmp_path / "root"
    (root / "examples").mkdir(parents=True)
    (root / "main.tf").write_text("")
    if with_demo:
        (root / "examples" / "demo.tfvars").write_text('name = "x"\n')
    return root


def test_defaults_pick_the_demo_tfvars_and_reports(tmp_path: Path) -> None:
    root = _root(tmp_path)
    settings = config.load({"FDK_TF_DIR": str(root)})
    assert settings.tf_dir == root.resolve()
    assert settings.tf_vars == root / "examples" / "demo.tfvars"
    assert settings.reports == Path("reports")
    assert settings.plugin_dir is None


def test_no_demo_tfvars_means_no_var_file(tmp_path: Path) -> None:
    settings = config.load({"FDK_TF_DIR": str(_root(tmp_path, with_demo=False))})
    assert settings.tf_vars is None


def test_empty_tf_vars_means_defaults_only(tmp_path: Path) -> None:
    assert config.load({"FDK_TF_DIR": str(_root(tmp_path)), "FDK_TF_VARS": ""}).tf_vars is None


def test_missing_root_is_a_guard_error(tmp_path: Path) -> None:
    with pytest.raises(GuardError, match="Terraform root not found"):
        config.load({"FDK_TF_DIR": str(tmp_path / "nowhere")})


def test_folder_without_terraform_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GuardError, match=r"no Terraform files"):
        config.load({"FDK_TF_DIR": str(tmp_path)})


def test_missing_tfvars_is_a_guard_error(tmp_path: Path) -> None:
    env = {"FDK_TF_DIR": str(_root(tmp_path)), "FDK_TF_VARS": str(tmp_path / "nope.tfvars")}
    with pytest.raises(GuardError, match="tfvars file not found"):
        config.load(env)


def test_missing_plugin_dir_is_a_guard_error(tmp_path: Path) -> None:
    env = {"FDK_TF_DIR": str(_root(tmp_path)), "FDK_TF_PLUGIN_DIR": str(tmp_path / "none")}
    with pytest.raises(GuardError, match="FDK_TF_PLUGIN_DIR"):
        config.load(env)


def test_reports_and_cache_are_overridable(tmp_path: Path) -> None:
    env = {
        "FDK_TF_DIR": str(_root(tmp_path)),
        "FDK_REPORTS": str(tmp_path / "out"),
        "FDK_CACHE_DIR": str(tmp_path / "cache"),
    }
    settings = config.load(env)
    assert settings.reports == tmp_path / "out"
    assert settings.cache_dir == tmp_path / "cache"
