"""Which resources the live layer reads: from Terraform outputs, or tags; bad input is one line."""

from __future__ import annotations

import json

import pytest

from fdk_guard.errors import GuardError
from fdk_guard.live import scope


def _out(value, sensitive=False):
    return {"sensitive": sensitive, "type": "string", "value": value}


def test_reference_outputs_name_the_deployment(tmp_path):
    path = tmp_path / "outputs.json"
    path.write_text(
        json.dumps(
            {
                "vpc_id": _out("vpc-1"),
                "server_url": _out("https://demo.fdk.fsl.dev"),
                "server_fqdn": _out("demo.fdk.fsl.dev"),
                "wasm_urls": _out({"app": "https://app.demo.fdk.fsl.dev"}),
                "s3_wasm_bucket": _out("fdk-demo-wasm"),
                "cloudfront_distribution_id": _out("E123"),
                "ci_user_name": _out("fdk-demo-ci"),
                "zone_id": _out("/hostedzone/Z1"),
                "log_group_names": _out(["/ecs/fdk-demo", "/vpc/fdk-demo"]),
                "task_role_arn": _out("arn:aws:iam::1:role/fdk-demo-task"),
                "storage_reader_role_arn": _out("arn:aws:iam::1:role/fdk-demo-reader"),
                "ci_secret_access_key": _out("never-read", sensitive=True),
            }
        )
    )
    got = scope.from_environment({"FDK_TF_OUTPUTS": str(path)})
    assert got.vpc_ids == ("vpc-1",)
    assert got.server_host == "demo.fdk.fsl.dev"
    assert got.wasm_hosts == ("app.demo.fdk.fsl.dev",)
    assert got.zone_ids == ("Z1",)
    assert set(got.roles) == {"fdk-demo-task", "fdk-demo-reader"}
    assert got.log_group_prefixes == ("/ecs/fdk-demo", "/vpc/fdk-demo")
    assert "never-read" not in repr(got)


def test_tags_find_the_vpc_when_no_outputs():
    got = scope.from_environment({"FDK_LIVE_TAGS": "Application=fdk-demo,Environment=production"})
    assert got.tags == {"Application": "fdk-demo", "Environment": "production"}


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "need FDK_TF_OUTPUTS"),
        ({"FDK_LIVE_TAGS": "Application"}, "expected Key=Value"),
        ({"FDK_TF_OUTPUTS": "/nonexistent/outputs.json"}, "cannot read FDK_TF_OUTPUTS"),
    ],
)
def test_bad_input_is_a_one_line_error(env, message):
    with pytest.raises(GuardError, match=message):
        scope.from_environment(env)
