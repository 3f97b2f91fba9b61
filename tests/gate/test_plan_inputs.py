"""What the planner takes besides a root: several var files, overlay folders laid into the
working copy, failures kept in the cache, sensitive values kept as digests."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from fdk_guard.errors import GuardError
from fdk_guard.terraform import REDACTED, TerraformFailed, binary, plan_root
from fdk_guard.terraform import plan as tf_plan
from fdk_guard.terraform.sensitive import DIGEST_KEY, digested, sensitive_digest

TINY_SECRET = "s3cr3t-Registry-Pa55"  # noqa: S105 - the tiny root's test value


def _overlay(base: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(text)
    return base


def test_overlay_files_land_at_their_paths_and_the_root_is_untouched(tiny_root, tmp_path):
    overlay = _overlay(
        tmp_path / "mutation",
        {
            "top_override.tf": "# top\n",
            "modules/bucket/bucket_override.tf": "# in the module\n",
        },
    )
    before = sorted(p.name for p in tiny_root.rglob("*"))
    copy_root = tf_plan.prepare_copy(
        tiny_root, tmp_path / "copy", offline=False, overlays=[overlay]
    )
    assert (copy_root / "top_override.tf").read_text() == "# top\n"
    assert (copy_root / "modules" / "bucket" / "bucket_override.tf").is_file()
    assert sorted(p.name for p in tiny_root.rglob("*")) == before


@pytest.mark.parametrize(
    ("files", "error"),
    [
        ({"modules/nope/x_override.tf": "#\n"}, "modules/nope is not a folder of the root"),
        ({"main.tf": "#\n"}, "main.tf (.*) would replace a file of the root"),
    ],
)
def test_an_overlay_that_does_not_fit_the_root_is_refused(tiny_root, tmp_path, files, error):
    overlay = _overlay(tmp_path / "mutation", files)
    with pytest.raises(GuardError, match=error):
        tf_plan.prepare_copy(tiny_root, tmp_path / "copy", offline=False, overlays=[overlay])


def test_two_files_for_one_place_are_refused(tmp_path):
    overlay = _overlay(tmp_path / "mutation", {"x_override.tf": "# a\n"})
    other = _overlay(tmp_path / "other", {"x_override.tf": "# b\n"})
    with pytest.raises(GuardError, match="x_override.tf is given twice"):
        tf_plan.workdir.placements([other / "x_override.tf"], [overlay])


def test_the_key_follows_what_lands_in_the_copy(tiny_root, tmp_path):
    def key(tfvars=(), overrides=(), overlays=()):
        return tf_plan.cache_key(tiny_root, tfvars, overrides, "1.11.0", True, overlays=overlays)

    a = tmp_path / "a.tfvars"
    b = tmp_path / "b.tfvars"
    a.write_text('name = "a"\n')
    b.write_text('name = "b"\n')
    overlay = _overlay(tmp_path / "m", {"modules/bucket/x_override.tf": "# one\n"})
    flat = _overlay(tmp_path / "flat", {"y_override.tf": "# two\n"})
    plain = key([a])
    assert key([a, b]) != key([b, a])  # later var files win: the order is an input
    with_overlay = key([a], overlays=[overlay])
    assert with_overlay not in (plain, key([a], overlays=[flat]))
    # an override file and an overlay folder holding it make the same copy: the same key
    assert key([a], overrides=[flat / "y_override.tf"]) == key([a], overlays=[flat])
    (overlay / "modules" / "bucket" / "x_override.tf").write_text("# changed\n")
    assert key([a], overlays=[overlay]) != with_overlay


def test_diagnostics_keep_each_error_and_hide_sensitive_values():
    output = """
Error: Invalid value for variable

  on x.tfvars line 1:
   1: name = "toolong"
    ├────────────────
    │ var.name is "toolong"

Name is too long.

Error: Invalid value for variable

  on x.tfvars line 2:
   2: pw = "hunter22"
    ├────────────────
    │ var.pw is "hunter22"

Password too short.
"""
    lines = binary.diagnostics(output, hidden={"pw"})
    assert lines == [
        'Error: Invalid value for variable on x.tfvars line 1: var.name is "toolong" '
        "Name is too long.",
        "Error: Invalid value for variable on x.tfvars line 2: var.pw is (sensitive value) "
        "Password too short.",
    ]


def test_digests_replace_sensitive_values_only():
    plan = {
        "variables": {"pw": {"value": "hunter22-long"}},
        "configuration": {"root_module": {"variables": {"pw": {"sensitive": True}}}},
        "resource_changes": [
            {
                "change": {
                    "after": {"secret_string": '{"password": "hunter22-long"}', "name": "n"},
                    "after_sensitive": {"secret_string": True},
                }
            }
        ],
    }
    out = digested(plan)
    after = out["resource_changes"][0]["change"]["after"]
    assert after["name"] == "n"
    assert after["secret_string"] == sensitive_digest({"password": "hunter22-long"})
    assert out["variables"]["pw"]["value"] == sensitive_digest("hunter22-long")
    assert "hunter22-long" not in json.dumps(out)


VALIDATED = """\
variable "name" {
  type = string
  validation {
    condition     = length(var.name) < 8
    error_message = "The name is too long."
  }
}

variable "pw" {
  type      = string
  sensitive = true
  validation {
    condition     = length(var.pw) > 40
    error_message = "The password is too short."
  }
}

output "name" {
  value = var.name
}
"""


@pytest.mark.slow
def test_a_kept_failure_is_cached_with_every_diagnostic(gate_env, tmp_path, monkeypatch):
    """Later var files win; the refusal lists both variables, the sensitive one without its
    value; asked again, it comes from the cache without planning."""
    secret = f"Pw-{uuid.uuid4().hex[:12]}"
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(VALIDATED)
    good = tmp_path / "good.tfvars"
    good.write_text(f'name = "ok"\npw = "{"x" * 41}"\n')
    bad = tmp_path / "bad.tfvars"
    bad.write_text(f'name = "far-too-long"\npw = "{secret}"\n')

    with pytest.raises(TerraformFailed) as first:
        plan_root(root, [good, bad], keep_failure=True)
    assert not first.value.cached and "The name is too long." in str(first.value)
    by_var = {d.split(" is ")[0].split()[-1]: d for d in first.value.diagnostics}
    assert "The name is too long." in by_var["var.name"]
    assert "The password is too short." in by_var["var.pw"]
    assert "var.pw is (sensitive value)" in by_var["var.pw"]
    assert secret not in json.dumps(first.value.diagnostics) + str(first.value)
    stored = list((Path(gate_env["FDK_CACHE_DIR"]) / "plans").glob("*.error.json"))
    assert stored and not any(secret in p.read_text() for p in stored)

    def no_planning(*args, **kwargs):
        raise AssertionError("planned again")

    monkeypatch.setattr(tf_plan, "working_copy", no_planning)
    with pytest.raises(TerraformFailed) as again:
        plan_root(root, [good, bad], keep_failure=True)
    assert again.value.cached and again.value.diagnostics == first.value.diagnostics
    assert str(again.value) == str(first.value)
    # a caller that does not keep failures (the gate) always plans again
    with pytest.raises(AssertionError, match="planned again"):
        plan_root(root, [good, bad])


@pytest.mark.slow
def test_digest_mode_keeps_digests_beside_the_redacted_plan(gate_env, tiny_root):
    tfvars = tiny_root / "tiny.tfvars"
    result = plan_root(tiny_root, tfvars, sensitive="digest")
    versions = [
        r["change"]["after"]
        for r in result.plan["resource_changes"]
        if r["type"] == "aws_secretsmanager_secret_version"
    ]
    expected = sensitive_digest({"username": "ci", "password": TINY_SECRET})
    assert versions and versions[0]["secret_string"] == expected
    digests = result.json_path.with_name(result.json_path.name.replace(".json", ".digests.json"))
    assert expected[DIGEST_KEY] in digests.read_text()
    # the plan file is the gate's: redacted, no digest; the gate reads it from the cache
    stored = result.json_path.read_text()
    assert TINY_SECRET not in stored + digests.read_text()
    assert expected[DIGEST_KEY] not in stored
    redacted = plan_root(tiny_root, tfvars)
    assert redacted.cached and redacted.json_path == result.json_path
    secret_versions = [
        r["change"]["after"]
        for r in redacted.plan["resource_changes"]
        if r["type"] == "aws_secretsmanager_secret_version"
    ]
    assert secret_versions[0]["secret_string"] == REDACTED
