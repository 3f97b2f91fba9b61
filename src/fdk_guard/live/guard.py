"""The read-only guard: a botocore hook that refuses any call that is not a read.

It runs on `before-call`, after the request is built and before anything is sent, so a
mutating call never leaves the process. Registered on a boto3 Session, it covers every
client that session makes.
"""

from __future__ import annotations

import boto3

READ_PREFIXES = ("Describe", "Get", "List")
# Reads AWS names otherwise (none are needed by the live checks today; keep this short).
READ_OPERATIONS = frozenset({"HeadBucket", "HeadObject"})
# Reads of contents the live checks never need and no report may hold: secrets and data.
CONTENT_READS = frozenset(
    {
        "GetSecretValue",
        "BatchGetSecretValue",
        "GetParameter",
        "GetParameters",
        "GetParametersByPath",
        "GetObject",
        "GetObjectTorrent",
    }
)


class MutatingCallRefused(RuntimeError):
    """A live check tried an AWS operation that is not a read (or reads secret contents)."""


def is_read_only(operation_name: str) -> bool:
    if operation_name in CONTENT_READS:
        return False
    return operation_name.startswith(READ_PREFIXES) or operation_name in READ_OPERATIONS


def _refuse_writes(model, **_kwargs) -> None:
    if not is_read_only(model.name):
        service = model.service_model.service_name
        raise MutatingCallRefused(f"read-only guard refused {service}:{model.name}")


def install(session: boto3.Session) -> boto3.Session:
    """Make every client of `session` read-only; returns the session."""
    session.events.register("before-call", _refuse_writes, unique_id="fdk-guard-read-only")
    return session


def read_only_session(**kwargs) -> boto3.Session:
    return install(boto3.Session(**kwargs))
