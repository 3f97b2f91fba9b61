"""The summarizer and comparator on a small hand-made plan (no Terraform needed)."""

from __future__ import annotations

import json
import textwrap

import pytest
import yaml

from fdk_guard.terraform.sensitive import digested

from .inventory import (
    UNKNOWN,
    InventoryLoader,
    Sensitive,
    compare_inventory,
    load_inventory,
    report,
    summarize,
)

SECRET = "s3cr3t-registry-password"  # noqa: S105 - a fake, to prove it is never shown
TASK = "module.ecs_service.aws_ecs_task_definition.this"
CONTAINERS = [
    {
        "name": "server",
        "image": "ghcr.io/org/fdk_server:0.3.0",
        "essential": True,
        "environment": [
            {"name": "STORAGE__BUCKET_PREFIX", "value": "dag-tenant-"},
            {"name": "AUTH__ISSUER", "value": "https://id.example.com"},
        ],
        "secrets": [{"name": "DATABASE__AUTH__PASSWORD", "valueFrom": "arn:secret"}],
    },
    {"name": "migrate", "image": "ghcr.io/org/fdk_server:0.3.0", "essential": False},
]


def _plan() -> dict:
    return {
        "resource_changes": [
            {
                "address": "module.lb.aws_lb_listener.http",
                "mode": "managed",
                "type": "aws_lb_listener",
                "change": {
                    "actions": ["create"],
                    "after": {
                        "port": 80,
                        "default_action": [
                            {"type": "redirect", "redirect": [{"status_code": "HTTP_301"}]}
                        ],
                    },
                    "after_unknown": {"arn": True, "default_action": [{"redirect": [{}]}]},
                    "after_sensitive": {},
                },
            },
            {
                "address": 'module.s3.aws_route53_record.wasm["app"]',
                "mode": "managed",
                "type": "aws_route53_record",
                "change": {
                    "actions": ["create"],
                    "after": {"name": "app.demo.fdk.fsl.dev", "ttl": None},
                    "after_unknown": {"zone_id": True},
                    "after_sensitive": {},
                },
            },
            {
                "address": TASK,
                "mode": "managed",
                "type": "aws_ecs_task_definition",
                "change": {
                    "actions": ["create"],
                    "after": {
                        "family": "fdk-demo",
                        "container_definitions": json.dumps(CONTAINERS),
                    },
                    "after_unknown": {},
                    "after_sensitive": {},
                },
            },
            {
                "address": "aws_secretsmanager_secret_version.registry[0]",
                "mode": "managed",
                "type": "aws_secretsmanager_secret_version",
                "change": {
                    "actions": ["create"],
                    "after": {"secret_string": json.dumps({"password": SECRET})},
                    "after_unknown": {"arn": True},
                    "after_sensitive": {"secret_string": True},
                },
            },
        ],
        "prior_state": {
            "values": {
                "root_module": {
                    "child_modules": [
                        {
                            "resources": [
                                {
                                    "address": "module.iam.data.aws_iam_policy_document.server",
                                    "mode": "data",
                                    "type": "aws_iam_policy_document",
                                    "values": {"json": '{"Statement": [{"Effect": "Allow"}]}'},
                                    "sensitive_values": {},
                                }
                            ]
                        }
                    ]
                }
            }
        },
        "output_changes": {
            "server_url": {"after": "https://api.demo.fdk.fsl.dev", "after_unknown": False},
            "cloudfront_distribution_id": {"after": None, "after_unknown": True},
            "ci_secret_access_key": {
                "after": SECRET,
                "after_unknown": False,
                "after_sensitive": True,
            },
            "fdk_unit_hidden": {"after": "x", "after_unknown": False},
        },
    }


def _inventory(text: str) -> dict:
    return yaml.load(textwrap.dedent(text), Loader=InventoryLoader)  # noqa: S506


@pytest.fixture(scope="module")
def summary():
    return summarize(_plan())


def test_summary_keys_values_by_full_address_with_unknowns(summary):
    listener = summary.values["module.lb.aws_lb_listener.http"]
    assert listener["port"] == 80
    assert listener["arn"] is UNKNOWN
    assert listener["default_action"][0]["redirect"][0]["status_code"] == "HTTP_301"
    assert summary.values['module.s3.aws_route53_record.wasm["app"]']["ttl"] is None
    assert summary.counts["aws_route53_record"] == 1
    assert "module.iam.data.aws_iam_policy_document.server" in summary.values
    assert "aws_iam_policy_document" not in summary.counts  # data sources are not counted


def test_summary_decodes_container_definitions_by_name(summary):
    containers = summary.values[TASK]["container_definitions"]
    assert set(containers) == {"server", "migrate"}
    assert containers["server"]["environment"]["STORAGE__BUCKET_PREFIX"] == "dag-tenant-"
    assert containers["server"]["secrets"] == {"DATABASE__AUTH__PASSWORD": "arn:secret"}
    assert containers["migrate"]["environment"] == {}


def test_summary_wraps_sensitive_values_and_hides_internal_outputs(summary):
    secret = summary.values["aws_secretsmanager_secret_version.registry[0]"]["secret_string"]
    assert isinstance(secret, Sensitive) and SECRET not in repr(secret)
    assert isinstance(summary.outputs["ci_secret_access_key"], Sensitive)
    assert summary.outputs["cloudfront_distribution_id"] is UNKNOWN
    assert "fdk_unit_hidden" not in summary.outputs


def test_matching_inventory_has_no_mismatch(summary):
    inventory = _inventory(
        f"""
        values:
          module.lb.aws_lb_listener.http:
            port: 80
            arn: !unknown
            default_action:
              - type: redirect
                redirect: [{{status_code: HTTP_301}}]
          module.s3.aws_route53_record.wasm["app"]:
            name: !regex '^app\\.'
          {TASK}:
            container_definitions:
              server:
                environment:
                  STORAGE__BUCKET_PREFIX: dag-tenant-
                  OBSERVABILITY__OTEL_EXPORTER_OTLP_ENDPOINT: !absent
                secrets: {{DATABASE__AUTH__PASSWORD: !regex '.'}}
                repositoryCredentials: !absent
              migrate: {{essential: false}}
              alloy: !absent
          module.iam.data.aws_iam_policy_document.server:
            json: {{Statement: !contains [{{Effect: Allow}}]}}
          aws_secretsmanager_secret_version.registry[0]:
            secret_string: !sensitive
          module.bastion.aws_instance.this: !absent
        counts:
          aws_route53_record: 1
          aws_cloudfront_distribution: 0
        outputs:
          server_url: https://api.demo.fdk.fsl.dev
          cloudfront_distribution_id: !unknown
          ci_secret_access_key: !sensitive
          bastion_id: !absent
        """
    )
    assert compare_inventory(inventory, summary) == []


def test_mismatch_names_address_key_expected_and_found(summary):
    inventory = _inventory(
        """
        values:
          module.lb.aws_lb_listener.http:
            default_action:
              - redirect: [{status_code: HTTP_302}]
        counts:
          aws_route53_record: 2
        """
    )
    lines = [str(m) for m in compare_inventory(inventory, summary)]
    assert lines == [
        "module.lb.aws_lb_listener.http default_action[0].redirect[0].status_code: "
        "expected 'HTTP_302', found 'HTTP_301'",
        "counts aws_route53_record: expected 2, found 1",
    ]


@pytest.mark.parametrize(
    ("snippet", "expected_line"),
    [
        (
            "values: {module.x.aws_s3_bucket.y: {bucket: b}}",
            "module.x.aws_s3_bucket.y: expected a planned resource, found none planned",
        ),
        (
            "values: {module.lb.aws_lb_listener.http: !absent }",
            "module.lb.aws_lb_listener.http: expected no such resource, found a planned resource",
        ),
        (
            "values: {module.lb.aws_lb_listener.http: {arn: arn:aws:x}}",
            "module.lb.aws_lb_listener.http arn: expected 'arn:aws:x', found (known after apply)",
        ),
        (
            "values: {module.lb.aws_lb_listener.http: {port: '80'}}",
            "module.lb.aws_lb_listener.http port: expected '80', found 80",
        ),
        (
            "values: {module.lb.aws_lb_listener.http: {protocol: HTTP}}",
            "module.lb.aws_lb_listener.http protocol: expected 'HTTP', found no such key",
        ),
        (
            f"values: {{{TASK}: {{container_definitions: {{server: {{environment: "
            "{STORAGE__BUCKET_PREFIX: other-}}}}}",
            f"{TASK} container_definitions.server.environment.STORAGE__BUCKET_PREFIX: "
            "expected 'other-', found 'dag-tenant-'",
        ),
        (
            f"values: {{{TASK}: {{container_definitions: {{migrate: !absent }}}}}}",
            f"{TASK} container_definitions.migrate: expected nothing (absent), found {{",
        ),
        (
            "outputs: {server_url: https://demo.fdk.fsl.dev}",
            "output server_url: expected 'https://demo.fdk.fsl.dev', "
            "found 'https://api.demo.fdk.fsl.dev'",
        ),
        ("outputs: {nope: 1}", "output nope: expected 1, found no such output"),
    ],
)
def test_each_kind_of_mismatch_is_reported(summary, snippet, expected_line):
    mismatches = compare_inventory(_inventory(snippet), summary)
    assert len(mismatches) == 1
    assert str(mismatches[0]).startswith(expected_line)


def test_sensitive_values_never_reach_the_message(summary):
    inventory = _inventory(
        """
        values:
          aws_secretsmanager_secret_version.registry[0]:
            secret_string: {password: wrong}
        outputs:
          ci_secret_access_key: wrong
        """
    )
    mismatches = compare_inventory(inventory, summary)
    text = report("demo", mismatches)
    assert len(mismatches) == 2
    assert SECRET not in text and "wrong" not in text
    assert "(sensitive value)" in text
    # a matching sensitive value passes without being shown
    good = _inventory(f"outputs: {{ci_secret_access_key: {SECRET}}}")
    assert compare_inventory(good, summary) == []


def test_exposed_containers_fill_unknown_container_definitions():
    plan = _plan()
    task = plan["resource_changes"][2]["change"]
    task["after"] = {"family": "fdk-demo"}
    task["after_unknown"] = {"container_definitions": True}
    exposed = [dict(CONTAINERS[0], environment=[{"name": "DATABASE__HOST"}])]
    plan["output_changes"]["fdk_unit_containers"] = {
        "after": {TASK: exposed},
        "after_unknown": {TASK: [{"environment": [{"value": True}], "secrets": [{}]}]},
    }
    summary = summarize(plan)
    server = summary.values[TASK]["container_definitions"]["server"]
    assert server["environment"] == {"DATABASE__HOST": UNKNOWN}
    assert "fdk_unit_containers" not in summary.outputs


def test_inventory_files_reject_unknown_sections(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("value: {}\n")
    with pytest.raises(ValueError, match="unknown keys"):
        load_inventory(path)


def test_exposed_values_add_keys_to_planned_resources_only():
    plan = _plan()
    plan["output_changes"]["fdk_unit_values"] = {
        "after": {
            "module.lb.aws_lb_listener.http": {"provider_region": "us-east-1"},
            "module.absent.aws_acm_certificate.this": {"provider_region": None},
        },
        "after_unknown": False,
    }
    summary = summarize(plan)
    assert summary.values["module.lb.aws_lb_listener.http"]["provider_region"] == "us-east-1"
    assert "module.absent.aws_acm_certificate.this" not in summary.values
    assert "fdk_unit_values" not in summary.outputs


def test_stored_plans_keep_digests_of_sensitive_values_and_still_compare():
    plan = digested(_plan())
    stored = json.dumps(plan)
    assert SECRET not in stored
    summary = summarize(plan)
    good = _inventory(
        f"""
        values:
          aws_secretsmanager_secret_version.registry[0]:
            secret_string: {{password: {SECRET}}}
        outputs:
          ci_secret_access_key: {SECRET}
        """
    )
    assert compare_inventory(good, summary) == []
    bad = _inventory("outputs: {ci_secret_access_key: wrong}")
    assert [str(m) for m in compare_inventory(bad, summary)] == [
        "output ci_secret_access_key: expected (sensitive value), found (sensitive value)"
    ]
