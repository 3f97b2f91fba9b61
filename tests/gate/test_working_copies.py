"""Working copies are temporary and never copy the suite's own folders; nothing of the
user's variable files stays in the cache, which only the user can read."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import time
import uuid
from pathlib import Path

import pytest

from fdk_guard import config
from fdk_guard.terraform import plan as tf_plan
from fdk_guard.terraform import workdir
from tests.conftest import plugin_cache_env, run_cli


def _repo_with_a_module_above_the_root(base: Path) -> Path:
    (base / "modules" / "m").mkdir(parents=True)
    (base / "modules" / "m" / "main.tf").write_text('output "x" {\n  value = 1\n}\n')
    root = base / "roots" / "r"
    root.mkdir(parents=True)
    (root / "main.tf").write_text('module "m" {\n  source = "../../modules/m"\n}\n')
    return root


def test_copy_leaves_out_the_cache_the_reports_and_other_copies(tmp_path, monkeypatch):
    """FDK_CACHE_DIR and FDK_REPORTS inside the copied folder: no copy of themselves."""
    base = tmp_path / "x"
    root = _repo_with_a_module_above_the_root(base)
    monkeypatch.setenv("FDK_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("FDK_REPORTS", str(base / "reports"))
    (base / "reports").mkdir()
    (base / "reports" / "findings.json").write_text("[]")
    (base / "cache" / "plans").mkdir(parents=True)
    (base / "cache" / "plans" / "p.json").write_text("{}")
    elsewhere = base / "scratch" / "old"  # a copy made earlier, outside the cache
    workdir.make_copy(root, elsewhere)
    assert workdir.copy_base(root) == base
    key_before = tf_plan.cache_key(root, None, (), "1.11.0", True)

    destination = base / "cache" / "work" / "k" / "copy"
    copy_root = workdir.make_copy(root, destination)

    assert copy_root == destination / "roots" / "r"
    assert (destination / "modules" / "m" / "main.tf").is_file()
    copied = {str(p.relative_to(destination)) for p in destination.rglob("*")}
    assert not {"cache", "reports", "scratch/old"} & copied, sorted(copied)
    # what the copies and the cache hold does not change the plan cache's key either
    (base / "cache" / "plans" / "q.json").write_text("{}")
    (base / "reports" / "junit.xml").write_text("<x/>")
    assert tf_plan.cache_key(root, None, (), "1.11.0", True) == key_before


def test_copies_of_killed_runs_are_swept_and_live_ones_kept(tmp_path, tiny_root, monkeypatch):
    monkeypatch.setenv("FDK_CACHE_DIR", str(tmp_path / "cache"))
    work = config.ensure_cache_dir() / "work"
    host = socket.gethostname()
    dead = work / f"999999999@{host}-abc"  # no such process here
    old_layout = work / "548c72af28ce3216"  # kept by earlier versions, keyed by plan
    live = work / f"1@{host}-init"  # pid 1 runs: not ours to remove
    elsewhere = work / "4242@another-host-x1"  # a shared cache: judged by age only
    stale = work / "4243@another-host-x2"
    for folder in (dead, old_layout, live, elsewhere, stale):
        (folder / "copy").mkdir(parents=True)
        (folder / "copy" / "terraform.tfvars").write_text('password = "x"\n')
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))
    with tf_plan.working_copy(tiny_root, offline=True) as copy_root:
        during = {p.name for p in work.iterdir()}
        assert (copy_root / "main.tf").is_file()
        assert (copy_root / workdir.OVERRIDE_NAME).is_file()
    kept = {live.name, elsewhere.name}
    assert len(during - kept) == 1 and next(iter(during - kept)).startswith(f"{os.getpid()}@")
    assert {p.name for p in work.iterdir()} == kept


def test_a_working_copy_is_removed_when_the_run_fails(tmp_path, tiny_root, monkeypatch):
    monkeypatch.setenv("FDK_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(RuntimeError), tf_plan.working_copy(tiny_root, offline=True):
        raise RuntimeError("terraform plan failed")
    assert not list((tmp_path / "cache" / "work").iterdir())


def test_the_cache_folder_is_created_for_its_owner_only(tmp_path: Path) -> None:
    made = config.ensure_cache_dir({"FDK_CACHE_DIR": str(tmp_path / "a" / "cache")})
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    config.ensure_cache_dir({"FDK_CACHE_DIR": str(shared)})
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755  # a folder it did not make: left as is


def _files_holding(folder: Path, text: str) -> list[Path]:
    needle = text.encode()
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()
        and needle in p.read_bytes()
    )  # fmt: skip


@pytest.mark.slow
def test_nothing_of_the_variable_files_stays_in_the_cache(
    gate_env: dict, tiny_root: Path, tmp_path: Path
) -> None:
    """Markers in a sensitive variable (an *.auto.tfvars inside the root), a non-sensitive
    one and comments (the tfvars inside the root): after lint and plan, the cache holds
    the non-sensitive value in the redacted plan only, and nothing else of them."""
    run = uuid.uuid4().hex[:12]
    secret, plain = f"Secret-{run}-Marker", f"plain-{run}"
    comment_a, comment_b = f"comment-a-{run}", f"comment-b-{run}"
    root = tmp_path / "x" / "tiny"
    shutil.copytree(tiny_root, root)
    (root / "tiny.tfvars").write_text(f'# {comment_a}\nname = "{plain}"\n')
    (root / "secret.auto.tfvars").write_text(
        f'# {comment_b}\ndocker_registry_password = "{secret}"\n'
    )
    # the cache inside the folder being copied, as in `FDK_CACHE_DIR=/x/cache`
    cache = tmp_path / "x" / "cache"
    env = {
        **gate_env,
        "FDK_TF_DIR": str(root),
        "FDK_TF_VARS": str(root / "tiny.tfvars"),
        "FDK_CACHE_DIR": str(cache),
        **plugin_cache_env(),  # the providers, not a 600 MB download
    }
    for command in ("lint", "plan"):
        done = run_cli(command, env=env)
        assert done.returncode in (0, 1), done.stdout + done.stderr
        assert secret not in done.stdout + done.stderr
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert not list((cache / "work").iterdir())  # working copies end with their run
    for marker in (secret, comment_a, comment_b):
        assert not _files_holding(cache, marker), marker
    holding_plain = _files_holding(cache, plain)
    assert holding_plain and all(p.parent == cache / "plans" for p in holding_plain)
