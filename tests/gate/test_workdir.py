"""Reading a root's aws providers and backend; the offline override; working copies."""

from __future__ import annotations

import json
from pathlib import Path

from fdk_guard.terraform import workdir


def test_tiny_root_shape(tiny_root: Path) -> None:
    shape = workdir.root_shape(tiny_root)
    assert shape.aws_aliases == (None, "us_east_1")
    assert shape.backend == "s3"


def test_comments_strings_and_nested_blocks_do_not_confuse_the_reader(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
# provider "aws" { alias = "commented" }
/* provider "aws" {
  alias = "block_comment"
} */
locals {
  text = "provider \\"aws\\" { alias = \\"in_string\\" }"
  braces = "${var.x == "a" ? "}" : "{"}"
  doc = <<-EOT
    provider "aws" {
      alias = "in_heredoc"
    }
  EOT
}
provider "aws" {
  region = "eu-west-1"
  assume_role {
    alias = "nested_not_ours"
  }
  alias = "eu" // trailing comment
}
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
  cloud {
    organization = "x"
  }
}
"""
    )
    shape = workdir.root_shape(tmp_path)
    assert shape.aws_aliases == ("eu",)
    assert shape.backend == "cloud"


def test_json_configuration_is_read(tmp_path: Path) -> None:
    doc = {
        "provider": {"aws": [{"region": "eu-west-1"}, {"alias": "use1", "region": "us-east-1"}]},
        "terraform": [{"backend": {"s3": {"bucket": "b"}}}],
    }
    (tmp_path / "main.tf.json").write_text(json.dumps(doc))
    assert workdir.root_shape(tmp_path) == workdir.RootShape((None, "use1"), "s3")


def test_override_covers_every_alias_and_replaces_a_remote_backend() -> None:
    files = workdir.offline_files(workdir.RootShape((None, "us_east_1"), "s3"))
    assert set(files) == {workdir.OVERRIDE_NAME}
    text = files[workdir.OVERRIDE_NAME]
    assert text.count('provider "aws" {') == 2
    assert 'alias = "us_east_1"' in text
    assert 'backend "local" {}' in text
    for flag in (
        "skip_credentials_validation",
        "skip_requesting_account_id",
        "skip_metadata_api_check",
        "skip_region_validation",
        "access_key",
        "secret_key",
        "profile                     = null",  # a named profile would fail to load offline
    ):
        assert text.count(flag) == 2, flag


def test_local_backend_is_left_alone_and_implicit_provider_gets_a_block() -> None:
    files = workdir.offline_files(workdir.RootShape(("use1",), "local"))
    assert 'backend "local"' not in files[workdir.OVERRIDE_NAME]
    # No default aws block to override: a plain (non-override) file declares one.
    assert 'provider "aws" {' in files[workdir.PROVIDERS_NAME]
    assert "alias" not in files[workdir.PROVIDERS_NAME]


def test_credentials_in_the_environment_turn_offline_off() -> None:
    assert not workdir.has_aws_credentials({})
    assert workdir.has_aws_credentials({"AWS_PROFILE": "dev"})
    assert workdir.has_aws_credentials({"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://x"})
    assert not workdir.has_aws_credentials({"AWS_PROFILE": "dev", "FDK_OFFLINE": "1"})


def test_copy_takes_modules_outside_the_root_and_leaves_state_behind(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "modules" / "m").mkdir(parents=True)
    (repo / "modules" / "m" / "main.tf").write_text("")
    (repo / "live" / ".terraform").mkdir(parents=True)
    (repo / "live" / "main.tf").write_text('module "m" {\n  source = "../modules/m"\n}\n')
    (repo / "live" / "terraform.tfstate").write_text("{}")
    assert workdir.copy_base(repo / "live") == repo
    copy_root = workdir.make_copy(repo / "live", tmp_path / "copy")
    assert copy_root == tmp_path / "copy" / "live"
    assert (tmp_path / "copy" / "modules" / "m" / "main.tf").is_file()
    assert not (copy_root / ".terraform").exists()
    assert not (copy_root / "terraform.tfstate").exists()


def _linked_module_root(tmp_path: Path) -> tuple[Path, Path]:
    """A root whose module folder is a symlink to a folder elsewhere (a shared checkout)."""
    shared = tmp_path / "elsewhere" / "shared"
    shared.mkdir(parents=True)
    (shared / "main.tf").write_text('variable "x" {\n  default = 1\n}\n')
    root = tmp_path / "repo" / "live"
    (root / "modules").mkdir(parents=True)
    (root / "modules" / "shared").symlink_to(shared, target_is_directory=True)
    (root / "modules" / "loop").symlink_to(root, target_is_directory=True)
    (root / "main.tf").write_text('module "s" {\n  source = "./modules/shared"\n}\n')
    return root, shared


def test_a_symlinked_module_is_copied_from_where_the_root_names_it(tmp_path: Path) -> None:
    root, shared = _linked_module_root(tmp_path)
    # not the common folder of the root and the link's target (that could be all of /tmp)
    assert workdir.copy_base(root) == root
    copy_root = workdir.make_copy(root, tmp_path / "copy")
    copied = copy_root / "modules" / "shared" / "main.tf"
    assert copied.is_file() and not copied.is_symlink()
    assert not (copy_root / "modules" / "loop").exists()  # a link to its own parent: left out


def test_a_change_inside_a_symlinked_module_changes_the_plan_cache_key(tmp_path: Path) -> None:
    from fdk_guard.terraform import plan

    root, shared = _linked_module_root(tmp_path)
    listed = {p.relative_to(root).as_posix() for p in workdir.files_to_copy(root)}
    assert listed == {"main.tf", "modules/shared/main.tf"}
    before = plan.cache_key(root, None, (), "1.0", offline=False)
    (shared / "main.tf").write_text('variable "x" {\n  default = 2\n}\n')
    assert plan.cache_key(root, None, (), "1.0", offline=False) != before
