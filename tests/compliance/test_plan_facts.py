"""What the compliance engine reads from a plan to tell "unknown until apply" from "not
set" (plan_facts), and how it replays When-filters (compliance_filters). No tools."""

from __future__ import annotations

import pytest

from fdk_guard.engines.compliance_filters import parse
from fdk_guard.engines.plan_facts import PlanFacts
from tests.agreement.plans import Call, Res, plan


def _db(module: str) -> Res:
    return Res(
        "aws_db_instance",
        "this",
        {"engine": "postgres"},
        unknown={"kms_key_id": True, "arn": True},
        refs={"kms_key_id": ["var.kms_key_id"]},
        module=f"module.{module}",
    )


@pytest.fixture(scope="module")
def facts() -> PlanFacts:
    resources = [
        _db("passed"),
        _db("defaulted"),
        _db("nulled"),
        Res("aws_lb", "lb", {"name": "lb"}, unknown={"internal": True}),
        Res(
            "aws_lb_listener",
            "https",
            {"protocol": "HTTPS"},
            unknown={"certificate_arn": True},
            refs={"certificate_arn": ["aws_acm_certificate.this.arn"]},
        ),
        Res(
            "aws_cloudfront_distribution",
            "cdn",
            {"origin": [{"origin_id": "site"}]},
            unknown={"origin": [{"origin_access_control_id": True}]},
        ),
        Res(
            "aws_iam_role",
            "task",
            {"name": "task"},
            unknown={"assume_role_policy": True, "inline_policy": True},
            refs={"assume_role_policy": ["data.aws_iam_policy_document.trust.json"]},
        ),
        Res(
            "aws_s3_bucket_public_access_block",
            "direct",
            {},
            refs={"bucket": ["aws_s3_bucket.a.id"]},
        ),
    ]
    calls = {
        "passed": Call({"kms_key_id": ["module.kms.key_arn"]}, {"kms_key_id": None}),
        "defaulted": Call({}, {"kms_key_id": None}),
        "nulled": Call({"kms_key_id": ["var.no_key"]}, {"kms_key_id": None}),
    }
    data = plan(resources, calls)
    cdn = data["configuration"]["root_module"]["resources"][2]
    assert cdn["address"] == "aws_cloudfront_distribution.cdn"
    cdn["expressions"].pop("origin")  # set by a dynamic block: the configuration omits it
    data["variables"] = {"no_key": {"value": None}}
    return PlanFacts(data)


def test_unknown_reads_after_unknown_at_any_depth(facts) -> None:
    assert facts.unknown("aws_cloudfront_distribution.cdn", "origin_access_control_id")
    assert not facts.unknown("aws_cloudfront_distribution.cdn", "origin_id")


def test_a_property_inside_an_unknown_policy_document_is_unknown(facts) -> None:
    assert facts.unknown("aws_iam_role.task", "Principal")
    assert facts.configured("aws_iam_role.task", "Principal")


def test_a_variable_is_followed_to_the_module_call_and_its_default(facts) -> None:
    assert facts.configured("module.passed.aws_db_instance.this", "kms_key_id")
    assert not facts.configured("module.defaulted.aws_db_instance.this", "kms_key_id")
    # passed a root variable whose value is null: not set
    assert not facts.configured("module.nulled.aws_db_instance.this", "kms_key_id")


def test_a_computed_attribute_left_unset_is_not_configured(facts) -> None:
    assert facts.unknown("aws_lb.lb", "internal")
    assert not facts.configured("aws_lb.lb", "internal")


def test_a_reference_and_a_dynamic_block_are_configured(facts) -> None:
    assert facts.configured("aws_lb_listener.https", "certificate_arn")
    assert facts.configured("aws_cloudfront_distribution.cdn", "origin_access_control_id")


def test_indirect_names_only_references_terraform_compliance_cannot_follow(facts) -> None:
    assert facts.indirect("aws_s3_bucket_public_access_block") is None
    data = plan([Res("aws_s3_bucket_public_access_block", "x", {}, refs={"bucket": ["local.id"]})])
    assert "local.id" in (PlanFacts(data).indirect("aws_s3_bucket_public_access_block") or "")


@pytest.mark.parametrize(
    ("step", "values", "kept"),
    [
        ("When its protocol is HTTP", {"protocol": "HTTP"}, True),
        ("When its protocol is HTTP", {"protocol": "HTTPS"}, False),
        ("When its protocol is HTTP", {}, False),
        ("And its internal is true", {"internal": True}, True),
        ("When its launch_type is not FARGATE", {"launch_type": "EC2"}, True),
        ("When its launch_type is not FARGATE", {"launch_type": "FARGATE"}, False),
        ('When its domain_name is not "^\\*\\." regex', {"domain_name": "*.a.net"}, False),
        ('When its type is "^(A|AAAA)$" regex', {"type": "AAAA"}, True),
        ('When its type is "^(A|AAAA)$" regex', {"type": "CNAME"}, False),
        (
            'And its subject_alternative_names does not include "^\\*\\." regex',
            {"subject_alternative_names": ["a.net", "*.a.net"]},
            False,
        ),
        ("When it has capacity_provider_strategy", {"capacity_provider_strategy": []}, False),
        (
            "When it has assign_public_ip",
            {"network_configuration": [{"assign_public_ip": False}]},
            True,
        ),
    ],
)
def test_filters_replay_as_terraform_compliance_reads_them(step, values, kept) -> None:
    f = parse(step)
    assert f is not None and f.keeps(values) is kept


def test_a_step_that_is_not_a_filter_is_not_replayed() -> None:
    assert parse("Then it must contain ssl_policy") is None
