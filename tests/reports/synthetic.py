"""Small plan JSONs written by hand: what the diagram draws from, without Terraform."""

from __future__ import annotations

import json
import re
from typing import Any

GITHUB = "token.actions.githubusercontent.com"


def _ref(*targets: str) -> dict:
    return {"references": list(targets)}


def resource(
    address: str, values: dict | None = None, unknown: dict | None = None, **expressions: Any
) -> dict:
    """One resource instance: planned `values`, what is `unknown` until apply, and the
    configuration's expressions (shared by every instance of the resource)."""
    return {
        "address": address,
        "values": values or {},
        "unknown": unknown or {},
        "expressions": expressions,
    }


def _unknown_references(expressions: dict, values: Any, unknown: Any) -> Any:
    """`after_unknown` as Terraform writes it: an attribute set from another resource
    (every one here is created by the plan) is known only after apply, unless its
    planned value is given."""
    if not isinstance(expressions, dict):
        return unknown
    values = values if isinstance(values, dict) else {}
    out = dict(unknown) if isinstance(unknown, dict) else {}
    for key, expr in expressions.items():
        if out.get(key) is True:
            continue
        if isinstance(expr, dict) and expr.get("references") and key not in values:
            out[key] = True
        elif isinstance(expr, list):  # nested blocks: planned values, unknowns inside
            planned = values.get(key)
            planned = planned if isinstance(planned, list) else []
            mask = out.get(key) if isinstance(out.get(key), list) else []
            out[key] = [
                _unknown_references(
                    block,
                    planned[i] if i < len(planned) else {},
                    mask[i] if i < len(mask) else {},
                )
                for i, block in enumerate(expr)
            ]
    return out


def plan(resources: list[dict]) -> dict:
    """A plan JSON of root-module resources (instances `x[0]`, `x["a"]` share one config)."""
    planned, changes, configs = [], [], {}
    for spec in resources:
        address = spec["address"]
        base = re.sub(r"\[[^\]]*\]$", "", address)
        index = re.search(r"\[([^\]]*)\]$", address)
        rtype, name = base.split(".")
        raw = {"address": address, "mode": "managed", "type": rtype, "name": name}
        if index:
            key = index.group(1)
            raw["index"] = int(key) if key.isdigit() else key.strip('"')
        planned.append({**raw, "values": spec["values"], "sensitive_values": {}})
        unknown = _unknown_references(spec["expressions"], spec["values"], spec["unknown"])
        for attr in ("id", "arn"):  # created: its ID and ARN are known after apply
            if attr not in spec["values"]:
                unknown.setdefault(attr, True)
        change = {"actions": ["create"], "after_unknown": unknown}
        changes.append({**raw, "change": change})
        configs[base] = {
            "address": base,
            "mode": "managed",
            "type": rtype,
            "name": name,
            "expressions": spec["expressions"],
        }
    return {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": list(configs.values())}},
    }


def deployment(services: int = 1, http_action: str = "redirect", public_ip: bool = False) -> list:
    """VPC (2 public + 2 private subnets), ALB with HTTP and HTTPS listeners, `services`
    instances of one ECS service, an RDS instance."""
    subnets = []
    for tier in ("public", "private"):
        for i, az in enumerate(("eu-west-1a", "eu-west-1b")):
            subnets.append(
                resource(
                    f"aws_subnet.{tier}[{i}]",
                    {"availability_zone": az},
                    vpc_id=_ref("aws_vpc.this"),
                )
            )
            # one association block per subnet, naming it by a literal index: a plan keeps
            # `aws_subnet.public[count.index]` only as its references, which the graph
            # cannot follow without the configuration's sources (it defers)
            subnet = f"aws_subnet.{tier}[{i}]"
            subnets.append(
                resource(
                    f"aws_route_table_association.{tier}_{az[-1]}",
                    subnet_id=_ref(f"{subnet}.id", subnet, f"aws_subnet.{tier}"),
                    route_table_id=_ref(f"aws_route_table.{tier}"),
                )
            )
    http = {"type": http_action}
    if http_action == "redirect":
        http["redirect"] = [{"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}]
    return [
        resource("aws_vpc.this", {"cidr_block": "10.0.0.0/16"}),
        *subnets,
        resource("aws_internet_gateway.this", {}, vpc_id=_ref("aws_vpc.this")),
        # the default route as its own resource: an inline `route` is one attribute whose
        # gateway a plan without the configuration's sources cannot follow
        resource("aws_route_table.public", {}),
        resource(
            "aws_route.internet",
            {"destination_cidr_block": "0.0.0.0/0"},
            route_table_id=_ref("aws_route_table.public.id", "aws_route_table.public"),
            gateway_id=_ref("aws_internet_gateway.this.id", "aws_internet_gateway.this"),
        ),
        resource("aws_route_table.private", {"route": []}),
        resource("aws_security_group.alb", {}),
        resource(
            "aws_lb.this",
            {"internal": False, "load_balancer_type": "application"},
            subnets=_ref("aws_subnet.public"),
            security_groups=_ref("aws_security_group.alb"),
        ),
        resource(
            "aws_lb_target_group.app",
            {"port": 8080, "health_check": [{"path": "/healthz", "port": "traffic-port"}]},
        ),
        resource(
            "aws_lb_listener.http",
            {"protocol": "HTTP", "port": 80, "default_action": [http]},
            load_balancer_arn=_ref("aws_lb.this"),
        ),
        resource(
            "aws_lb_listener.https",
            {"protocol": "HTTPS", "port": 443, "default_action": [{"type": "forward"}]},
            load_balancer_arn=_ref("aws_lb.this"),
            default_action=[{"target_group_arn": _ref("aws_lb_target_group.app")}],
        ),
        *[
            resource(
                f"aws_ecs_service.app[{i}]",
                {
                    "launch_type": "FARGATE",
                    "network_configuration": [{"assign_public_ip": public_ip}],
                    "load_balancer": [{"container_port": 8080}],
                },
                network_configuration=[{"subnets": _ref("aws_subnet.private")}],
                load_balancer=[{"target_group_arn": _ref("aws_lb_target_group.app")}],
            )
            for i in range(services)
        ],
        resource("aws_db_subnet_group.this", {}, subnet_ids=_ref("aws_subnet.private")),
        resource(
            "aws_db_instance.this",
            {"engine": "postgres", "publicly_accessible": False},
            db_subnet_group_name=_ref("aws_db_subnet_group.this"),
        ),
    ]


def frontend(oac: bool = True) -> list:
    """CloudFront serving an S3 bucket, a Route53 alias to it, a CI user and a GitHub deploy
    role whose policies name the bucket by ARN."""
    s3_policy = json.dumps(
        {
            "Statement": [
                {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::wasm/*"}
            ]
        }
    )
    trust = json.dumps(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/" + GITHUB},
                }
            ]
        }
    )
    origin = {"domain_name": _ref("aws_s3_bucket.wasm")}
    if oac:
        origin["origin_access_control_id"] = _ref("aws_cloudfront_origin_access_control.wasm")
    return [
        resource("aws_s3_bucket.wasm", {"bucket": "wasm"}),
        resource("aws_s3_bucket_policy.wasm", {}, bucket=_ref("aws_s3_bucket.wasm")),
        resource("aws_cloudfront_origin_access_control.wasm", {}),
        resource(
            "aws_cloudfront_distribution.wasm",
            {
                "aliases": ["app.example.test"],
                "origin": [{"origin_access_control_id": "" if not oac else None}],
                "default_cache_behavior": [{"viewer_protocol_policy": "redirect-to-https"}],
            },
            {"origin": [{"origin_access_control_id": oac}]},
            origin=[origin],
        ),
        resource("aws_route53_zone.this", {"name": "example.test"}),
        resource(
            "aws_route53_record.app",
            {"name": "app.example.test", "type": "A"},
            zone_id=_ref("aws_route53_zone.this"),
            alias=[{"name": _ref("aws_cloudfront_distribution.wasm")}],
        ),
        resource("aws_iam_user.ci", {"name": "ci"}),
        resource("aws_iam_user_policy.ci", {"policy": s3_policy}, user=_ref("aws_iam_user.ci")),
        resource("aws_iam_role.deploy", {"assume_role_policy": trust}),
        resource(
            "aws_iam_role_policy.deploy", {"policy": s3_policy}, role=_ref("aws_iam_role.deploy")
        ),
    ]
