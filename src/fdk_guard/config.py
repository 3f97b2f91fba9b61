"""The environment contract of `lint` and `plan` (README "The gate").

FDK_TF_DIR         Terraform root to judge                 (default: reference)
FDK_TF_VARS        a .tfvars file for it                   (default: <dir>/examples/demo.tfvars
                                                            when that file exists)
FDK_TF_PLUGIN_DIR  provider mirror for `terraform init -plugin-dir` (default: plain init)
FDK_REPORTS        where findings and reports go           (default: reports)
FDK_CACHE_DIR      plan cache and shared provider install  (default: .fdk-cache, made 0700)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fdk_guard.data import ROOT
from fdk_guard.errors import GuardError

DEFAULT_TF_DIR = "reference"
DEFAULT_TFVARS = Path("examples") / "demo.tfvars"


@dataclass(frozen=True)
class Settings:
    tf_dir: Path
    tf_vars: Path | None
    plugin_dir: Path | None
    reports: Path
    cache_dir: Path


def _tf_dir(env: Mapping[str, str]) -> Path:
    given = env.get("FDK_TF_DIR", "").strip()
    if given:
        root = Path(given).expanduser()
    else:
        # Run from anywhere: fall back to the suite's own reference (fdk_guard.data).
        root = Path(DEFAULT_TF_DIR)
        if not root.is_dir() and (ROOT / DEFAULT_TF_DIR).is_dir():
            root = ROOT / DEFAULT_TF_DIR
    if not root.is_dir():
        raise GuardError(f"Terraform root not found: {root} (set FDK_TF_DIR to a folder)")
    if not any(root.glob("*.tf")) and not any(root.glob("*.tf.json")):
        raise GuardError(f"no Terraform files (*.tf) in {root} (FDK_TF_DIR)")
    return root.resolve()


def _tf_vars(env: Mapping[str, str], root: Path) -> Path | None:
    given = env.get("FDK_TF_VARS")
    if given is None:
        default = root / DEFAULT_TFVARS
        return default if default.is_file() else None
    if not given.strip():
        return None  # FDK_TF_VARS="" means: plan with the root's defaults only
    path = Path(given).expanduser()
    if not path.is_file():
        raise GuardError(f"tfvars file not found: {path} (FDK_TF_VARS)")
    return path.resolve()


def _plugin_dir(env: Mapping[str, str]) -> Path | None:
    given = env.get("FDK_TF_PLUGIN_DIR", "").strip()
    if not given:
        return None
    path = Path(given).expanduser()
    if not path.is_dir():
        raise GuardError(f"provider plugin folder not found: {path} (FDK_TF_PLUGIN_DIR)")
    return path.resolve()


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("FDK_CACHE_DIR", "").strip() or ".fdk-cache").expanduser().resolve()


def ensure_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """The cache folder, created readable by its owner only (0700) when it does not exist.

    An existing folder keeps its mode: FDK_CACHE_DIR may name a folder shared with others.
    """
    path = cache_dir(env)
    if not path.is_dir():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.mkdir(mode=0o700, exist_ok=True)
        except OSError as err:
            raise GuardError(f"cannot create the cache folder {path}: {err}") from None
    return path


def reports_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("FDK_REPORTS", "").strip() or "reports")


def kept_out_of_copies(env: Mapping[str, str] | None = None) -> tuple[Path, ...]:
    """Folders a working copy must never include: the cache (plans, other working copies)
    and the reports, wherever FDK_CACHE_DIR and FDK_REPORTS put them."""
    return (cache_dir(env), reports_dir(env).expanduser().resolve())


def plugin_dir(env: Mapping[str, str] | None = None) -> Path | None:
    return _plugin_dir(os.environ if env is None else env)


def load(env: Mapping[str, str] | None = None) -> Settings:
    """Read and check the environment; GuardError names the first bad setting."""
    env = os.environ if env is None else env
    root = _tf_dir(env)
    return Settings(
        tf_dir=root,
        tf_vars=_tf_vars(env, root),
        plugin_dir=_plugin_dir(env),
        reports=reports_dir(env),
        cache_dir=cache_dir(env),
    )
