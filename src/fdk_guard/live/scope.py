"""Which resources belong to the deployment: named by Terraform outputs, or found by tags.

The snapshot follows references from the VPC; the few resources that hang off nothing in
the VPC (WASM bucket, distribution, CI user, hosted zone) come from the outputs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from fdk_guard.errors import GuardError


@dataclass
class Scope:
    vpc_ids: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    buckets: tuple[str, ...] = ()
    distribution_ids: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    zone_ids: tuple[str, ...] = ()
    zone_names: tuple[str, ...] = ()
    log_group_prefixes: tuple[str, ...] = ()
    # What the outputs promise, so checks can compare the account with the intent.
    dns_name: str = ""
    server_host: str = ""
    wasm_hosts: tuple[str, ...] = ()
    buckets_prefix: str = ""
    with_bastion: bool | None = None


def read_outputs(path: str | Path) -> dict:
    """`terraform output -json` as {name: value} (sensitive values are dropped, unread)."""
    try:
        raw = json.loads(Path(path).read_text())
    except (OSError, ValueError) as err:
        raise GuardError(f"cannot read FDK_TF_OUTPUTS {path}: {err}") from None
    if not isinstance(raw, dict):
        raise GuardError(f"FDK_TF_OUTPUTS {path} is not a `terraform output -json` object")
    return {
        k: v.get("value") if isinstance(v, dict) and "value" in v else v
        for k, v in raw.items()
        if not (isinstance(v, dict) and v.get("sensitive"))
    }


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def _pick(outputs: dict, *names: str) -> list[str]:
    return [s for n in names for s in _strings(outputs.get(n))]


def _names(arns: list[str]) -> list[str]:
    return [a.rsplit("/", 1)[-1] for a in arns]


def from_outputs(outputs: dict) -> Scope:
    """The scope named by the reference's outputs (other spellings of a module tried too)."""
    server_url = (_pick(outputs, "server_url") or [""])[0]
    server_host = (_pick(outputs, "server_fqdn") or [_host(server_url)])[0]
    wasm = _pick(outputs, "wasm_urls")
    return Scope(
        vpc_ids=tuple(_pick(outputs, "vpc_id")),
        buckets=tuple(_pick(outputs, "s3_wasm_bucket")),
        distribution_ids=tuple(_pick(outputs, "cloudfront_distribution_id")),
        users=tuple(_pick(outputs, "ci_user_name")),
        roles=tuple(
            _pick(outputs, "github_deploy_role_name")
            + _names(_pick(outputs, "github_deploy_role_arn", "task_role_arn"))
            + _names(_pick(outputs, "storage_reader_role_arn"))
        ),
        zone_ids=tuple(z.rsplit("/", 1)[-1] for z in _pick(outputs, "zone_id", "route53_zone_id")),
        zone_names=tuple(_pick(outputs, "dns_name")),
        log_group_prefixes=tuple(_pick(outputs, "log_group_names", "log_group_name")),
        dns_name=(_pick(outputs, "dns_name") or [""])[0],
        server_host=server_host,
        wasm_hosts=tuple(_host(u) for u in wasm),
        buckets_prefix=(_pick(outputs, "buckets_prefix") or [""])[0],
    )


def parse_tags(text: str) -> dict[str, str]:
    """`Key=Value,Key2=Value2` -> dict; a bad entry is a one-line error."""
    tags: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key:
            raise GuardError(f"FDK_LIVE_TAGS: expected Key=Value, got {part!r}")
        tags[key] = value
    return tags


def named(env: dict | None = None) -> Scope | None:
    """The deployment the environment names (outputs with a vpc_id, or tags), or None."""
    env = os.environ if env is None else env
    scope = (
        from_outputs(read_outputs(env["FDK_TF_OUTPUTS"])) if env.get("FDK_TF_OUTPUTS") else Scope()
    )
    scope.tags = parse_tags(env.get("FDK_LIVE_TAGS", ""))
    return scope if (scope.vpc_ids or scope.tags) else None


def from_environment(env: dict | None = None) -> Scope:
    """FDK_TF_OUTPUTS names the resources; FDK_LIVE_TAGS finds the VPC when outputs do not."""
    scope = named(env)
    if scope is None:
        raise GuardError(
            "live checks need FDK_TF_OUTPUTS (terraform output -json) or FDK_LIVE_TAGS"
        )
    return scope
