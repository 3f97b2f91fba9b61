"""The live layer cannot change the account: mutating calls are refused in-process."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from fdk_guard.live import guard


@pytest.mark.parametrize(
    "name, read",
    [
        ("DescribeDBInstances", True),
        ("GetBucketPolicy", True),
        ("ListUsers", True),
        ("HeadBucket", True),
        ("DeleteBucket", False),
        ("PutBucketPolicy", False),
        ("ModifyDBInstance", False),
        ("CreateInvalidation", False),
        ("UpdateService", False),
        ("GetSecretValue", False),  # contents: never needed, never to be reported
        ("GetObject", False),
    ],
)
def test_only_reads_are_allowed(name, read):
    assert guard.is_read_only(name) is read


def _client(service: str, session: boto3.Session):
    return session.client(
        service,
        region_name="ap-southeast-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto
    )


@pytest.mark.parametrize(
    "call, kwargs",
    [
        ("delete_bucket", {"Bucket": "fdk-guard-proof-delete"}),
        ("put_bucket_policy", {"Bucket": "fdk-guard-proof-policy", "Policy": "{}"}),
    ],
)
def test_mutating_call_is_refused_before_it_is_sent(call, kwargs):
    from moto import mock_aws

    with mock_aws():
        _client("s3", boto3.Session()).create_bucket(
            Bucket=kwargs["Bucket"],
            CreateBucketConfiguration={"LocationConstraint": "ap-southeast-2"},
        )
        s3 = _client("s3", guard.read_only_session())
        sent = []
        s3.meta.events.register("before-send", lambda request, **_: sent.append(request.url))
        operation = "".join(part.title() for part in call.split("_"))
        with pytest.raises(guard.MutatingCallRefused, match=f"s3:{operation}"):
            getattr(s3, call)(**kwargs)
        assert sent == []  # refused before anything left the process
        assert s3.head_bucket(Bucket=kwargs["Bucket"])  # and the bucket is untouched
        assert sent  # reads do go out
        with pytest.raises(ClientError, match="NoSuchBucketPolicy"):
            s3.get_bucket_policy(Bucket=kwargs["Bucket"])


def test_guard_covers_every_client_of_the_session():
    from moto import mock_aws

    session = guard.read_only_session()
    with mock_aws():  # should the guard fail, nothing may reach a real endpoint
        _assert_refused(session)


def _assert_refused(session):
    for service, call, kwargs in (
        ("rds", "modify_db_instance", {"DBInstanceIdentifier": "db", "PubliclyAccessible": True}),
        ("logs", "put_retention_policy", {"logGroupName": "/ecs/x", "retentionInDays": 30}),
        ("iam", "delete_user", {"UserName": "ci"}),
    ):
        with pytest.raises(guard.MutatingCallRefused):
            getattr(_client(service, session), call)(**kwargs)
