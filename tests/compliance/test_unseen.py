"""terraform-compliance on roots written otherwise: what it cannot see is `deferred`, what
a root leaves to the provider's default is judged as that default, and resources in modules
called with count/for_each are judged as at the root. One real run over a synthetic plan.
"""

from __future__ import annotations

import json
import os

import pytest

from fdk_guard.engines import compliance
from tests.agreement.plans import Call, Res, plan
from tests.conftest import TOOLS

TOOL_VENV = TOOLS / "terraform-compliance" / "bin"
ACM = "arn:aws:acm:us-east-1:123456789012:certificate/1"

pytestmark = pytest.mark.skipif(
    not (os.environ.get(compliance.ENV_BINARY) or (TOOL_VENV / "terraform-compliance").is_file()),
    reason="needs terraform-compliance: set FDK_TERRAFORM_COMPLIANCE (nox -s test sets it)",
)


def _lb(name: str, **values) -> Res:
    unknown = {} if "internal" in values else {"internal": True}
    return Res(
        "aws_lb", name, {"name": name, "load_balancer_type": "application", **values}, unknown
    )


def _db(module: str, name: str) -> Res:
    values = {"engine": "postgres", "engine_version": "16.4", "storage_encrypted": True}
    return Res(
        "aws_db_instance",
        "this",
        values | {"identifier": name, "publicly_accessible": False},
        unknown={"kms_key_id": True},
        refs={"kms_key_id": ["var.kms_key_id"]},
        module=f"module.{module}",
    )


def _site() -> list[Res]:
    """A CloudFront site in a module called with count: IDs known after apply."""
    site = "module.wasm_site[0]"
    dist = Res(
        "aws_cloudfront_distribution",
        "this",
        {
            "aliases": ["app.example.net"],
            "origin": [{"origin_id": "site", "domain_name": "site.s3.amazonaws.com"}],
            "default_cache_behavior": [{"viewer_protocol_policy": "redirect-to-https"}],
            "viewer_certificate": [{"minimum_protocol_version": "TLSv1.2_2021"}],
        },
        unknown={
            "origin": [{"origin_access_control_id": True}],
            "default_cache_behavior": [{"response_headers_policy_id": True}],
            "viewer_certificate": [{"acm_certificate_arn": True}],
        },
        module=site,
    )
    return [dist]


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    if not os.environ.get(compliance.ENV_BINARY):
        os.environ[compliance.ENV_BINARY] = str(TOOL_VENV / "terraform-compliance")
    resources = [
        _lb("default_scheme"),  # internal = null: internet-facing
        _lb("internal", internal=True),
        Res(
            "aws_acm_certificate",
            "san_wildcard",
            {
                "domain_name": "example.net",
                "subject_alternative_names": ["*.example.net", "example.net"],
                "validation_method": "DNS",
            },
        ),
        Res(
            "aws_acm_certificate",
            "no_wildcard",
            {
                "domain_name": "example.org",
                "subject_alternative_names": ["example.org", "api.example.org"],
                "validation_method": "DNS",
            },
        ),
        Res(
            "aws_ecs_service",
            "spot",
            {"name": "spot", "capacity_provider_strategy": [{"capacity_provider": "FARGATE_SPOT"}]},
            unknown={"launch_type": True},
        ),
        Res(
            "aws_ecs_service",
            "ec2_provider",
            {"name": "ec2", "capacity_provider_strategy": [{"capacity_provider": "ec2-cp"}]},
            unknown={"launch_type": True},
        ),
        _db("db_cmk", "with-key"),
        _db("db_default", "without-key"),
        Res(
            "aws_iam_user_policy",
            "ci",
            {"name": "deploy", "user": "ci"},
            unknown={"policy": True},
            refs={"policy": ["data.aws_iam_policy_document.deploy.json"]},
        ),
        Res(
            "aws_lb_listener",
            "http",
            {
                "protocol": "HTTP",
                "port": 80,
                "default_action": [
                    {
                        "type": "redirect",
                        "redirect": [
                            {"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}
                        ],
                    }
                ],
            },
            unknown={"ssl_policy": True},
            refs={"ssl_policy": ["local.ssl_policy"]},
        ),
        *_site(),
    ]
    calls = {
        "db_cmk": Call({"kms_key_id": ["module.kms.key_arn", "module.kms"]}, {"kms_key_id": None}),
        "db_default": Call({}, {"kms_key_id": None}),
        "wasm_site": Call(count=True),
    }
    data = plan(resources, calls)
    # its blocks come from dynamic blocks: a plan's configuration omits those
    site = data["configuration"]["root_module"]["module_calls"]["wasm_site"]["module"]
    for key in ("origin", "default_cache_behavior", "viewer_certificate"):
        site["resources"][0]["expressions"].pop(key)
    path = tmp_path_factory.mktemp("unseen") / "plan.json"
    path.write_text(json.dumps(data))
    return compliance.evaluate(path, data)


def statuses(rows, control: str, resource: str) -> set[str]:
    return {r.status for r in rows if r.control == control and r.resource == resource}


def test_internal_null_is_internet_facing_and_internal_true_is_picked_out(rows) -> None:
    assert statuses(rows, "FDK-NET-03", "aws_lb.default_scheme") == set()
    # picked out, but with two ALBs in the plan only the FDK server's is held to NET-03,
    # which the tool cannot tell (a plan with one: the mutation table's net-03 rows fail)
    internal = [r for r in rows if r.control == "FDK-NET-03" and r.resource == "aws_lb.internal"]
    assert [r.status for r in internal] == ["deferred"]
    assert (
        "internal" in internal[0].message and "2 application load balancers" in internal[0].message
    )


def test_a_wildcard_in_the_alternative_names_is_a_wildcard_certificate(rows) -> None:
    assert statuses(rows, "FDK-TLS-03", "aws_acm_certificate.san_wildcard") == set()
    assert statuses(rows, "FDK-TLS-03", "aws_acm_certificate.no_wildcard") == {"fail"}


def test_fargate_through_a_capacity_provider_strategy_is_fargate(rows) -> None:
    assert statuses(rows, "FDK-ECS-01", "aws_ecs_service.spot") == set()
    # picked out; with two services only the FDK server's is held to ECS-01, which the tool
    # cannot tell (a plan with one: the mutation table's ecs-01 rows fail)
    ec2 = [r for r in rows if r.control == "FDK-ECS-01" and r.resource.endswith("ec2_provider")]
    assert [r.status for r in ec2] == ["deferred"] and "2 ECS services" in ec2[0].message


def test_a_key_set_through_a_module_is_not_failed_a_key_left_unset_fails(rows) -> None:
    # set from a module output: terraform-compliance follows the reference (a key is set)
    # or, where it cannot, the engine defers; never a fail
    with_key = "module.db_cmk.aws_db_instance.this"
    assert statuses(rows, "FDK-DATA-01", with_key) <= {"deferred"}
    assert statuses(rows, "FDK-DATA-01", "module.db_default.aws_db_instance.this") == {"fail"}


def test_an_unknown_policy_document_is_deferred_not_skipped(rows) -> None:
    assert statuses(rows, "FDK-IAM-02", "aws_iam_user_policy.ci") == {"deferred"}


def test_a_filter_that_already_dropped_a_resource_defers_nothing_on_it(rows) -> None:
    # the HTTP listener's ssl_policy is unknown, but HTTPS scenarios never apply to it
    assert statuses(rows, "FDK-TLS-02", "aws_lb_listener.http") == set()
    assert statuses(rows, "FDK-TLS-01", "aws_lb_listener.http") == set()


def test_ids_known_after_apply_in_a_counted_module_are_deferred_not_failed(rows) -> None:
    dist = "module.wasm_site[0].aws_cloudfront_distribution.this"
    for control in ("FDK-DATA-05", "FDK-WEB-01", "FDK-TLS-04"):
        assert statuses(rows, control, dist) == {"deferred"}, control
    assert not [r for r in rows if r.status == "fail" and "wasm_site" in r.resource]
