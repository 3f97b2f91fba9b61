"""The agreement table: good and bad values of each control's parameters, each as a small
world every engine of the control can read: Terraform resources (a plan for the graph,
checkov and terraform-compliance) and the same state as the AWS APIs describe it (a live
snapshot). The values come from the catalogue's parameters, plus the edge cases that an
engine reading its own copy of a constant would get wrong.

A case names what each engine reports on (`subject`: the resource address, or per engine)
and what the live check reports on (returned by its `live` function). An engine listed in
`blind` cannot see the value by design (e.g. checkov cannot see which port ECS registers
targets on): it must say `deferred`, never the opposite verdict.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from fdk_guard import catalogue
from fdk_guard.live.scope import Scope
from tests.agreement.plans import Res

ACCOUNT = "123456789012"
REGION = "eu-west-1"
CERT = f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/0f1e2d3c"
EDGE_CERT = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/4b5a6978"
ELB = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}"


@dataclass
class Case:
    control: str
    name: str
    expect: str  # pass | fail | deferred
    world: list[Res]
    subject: str | dict[str, str]  # an address, or {engine: address}
    live: Callable | None = None  # fills a Snapshot, returns what the live check names
    blind: frozenset[str] = field(default_factory=frozenset)
    # partial engines (catalogue `partial:`) that do not check the part this case breaks
    outside: frozenset[str] = field(default_factory=frozenset)
    variables: dict = field(default_factory=dict)  # root variables of the plan
    hcl: str = ""  # the configuration's source, for the graph's evaluator

    @property
    def key(self) -> str:
        return f"{self.control}:{self.name}"

    def subject_for(self, engine: str) -> str:
        if isinstance(self.subject, dict):
            return self.subject[engine]
        return self.subject


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")


# -- FDK-LOG-01 ------------------------------------------------------------------------


def log_cases() -> list[Case]:
    days = catalogue.params("FDK-LOG-01")["retention_days"]
    out = []
    for value, expect in ((days, "pass"), (30, "fail"), (0, "fail"), (7, "fail"), (90, "fail")):
        name = f"log_{value}"
        group = {"logGroupName": f"/fdk/{name}"} | ({"retentionInDays": value} if value else {})

        def live(snap, group=group):
            snap.log_groups.append(group)
            return group["logGroupName"]

        res = Res(
            "aws_cloudwatch_log_group", name, {"name": f"/fdk/{name}", "retention_in_days": value}
        )
        out.append(Case("FDK-LOG-01", f"retention {value}", expect, [res], res.address, live))
    unknown = Res(
        "aws_cloudwatch_log_group",
        "log_unknown",
        {"name": "/fdk/log_unknown"},
        unknown={"retention_in_days": True},
        refs={"retention_in_days": ["local.retention"]},
    )
    out.append(Case("FDK-LOG-01", "retention unknown", "deferred", [unknown], unknown.address))
    return out


# -- FDK-TLS-01 ------------------------------------------------------------------------


def http_listener(name: str, action: dict) -> Res:
    block = {
        "type": action["type"],
        "target_group_arn": action.get("target_group_arn"),
        "redirect": [action["redirect"]] if "redirect" in action else [],
        "forward": [],
        "fixed_response": [],
        "authenticate_cognito": [],
        "authenticate_oidc": [],
    }
    values = {"protocol": "HTTP", "port": 80, "default_action": [block]}
    values["load_balancer_arn"] = f"{ELB}:loadbalancer/app/{name}/1"
    return Res("aws_lb_listener", name, values)


def redirect_cases() -> list[Case]:
    want = catalogue.params("FDK-TLS-01")["redirect"]
    variants = {
        "the catalogue's redirect": ("pass", dict(want)),
        "302": ("fail", {**want, "status_code": "HTTP_302"}),
        "port 8443": ("fail", {**want, "port": "8443"}),
        "plain HTTP": ("fail", {**want, "protocol": "HTTP"}),
    }
    out = []
    for label, (expect, redirect) in variants.items():
        name = f"tls01_{slug(label)}"
        tf_redirect = {
            "port": str(redirect["port"]),
            "protocol": redirect["protocol"],
            "status_code": redirect["status_code"],
            "host": "#{host}",
            "path": "/#{path}",
            "query": "#{query}",
        }
        res = http_listener(name, {"type": "redirect", "redirect": tf_redirect})
        api = {
            "Type": "redirect",
            "RedirectConfig": {
                "Protocol": redirect["protocol"],
                "Port": str(redirect["port"]),
                "StatusCode": redirect["status_code"],
            },
        }
        out.append(
            Case("FDK-TLS-01", label, expect, [res], res.address, _listener_live(name, "HTTP", api))
        )
    tg = f"{ELB}:targetgroup/server/1"
    res = http_listener("tls01_forward", {"type": "forward", "target_group_arn": tg})
    api = {"Type": "forward", "TargetGroupArn": tg}
    out.append(
        Case(
            "FDK-TLS-01",
            "forward",
            "fail",
            [res],
            res.address,
            _listener_live("tls01_forward", "HTTP", api),
        )
    )
    return out


def _listener_live(name: str, protocol: str, action: dict):
    def live(snap):
        lb = f"arn:lb/{name}"
        snap.load_balancers.append({"LoadBalancerArn": lb, "DNSName": f"{name}.elb.amazonaws.com"})
        snap.listeners[lb] = [
            {
                "ListenerArn": f"arn:listener/{name}",
                "Protocol": protocol,
                "Port": 80,
                "DefaultActions": [action],
            }
        ]
        return f"arn:listener/{name}"

    return live


# -- FDK-TLS-02 ------------------------------------------------------------------------

# AWS's ALB security policies that still offer TLS 1.0 or 1.1 (a prefix match admits some)
OLD_ELB_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
    "ELBSecurityPolicy-TLS13-1-1-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-FS-1-1-2019-08",
]


def https_world(name: str, policy: str | None, unknown_policy: bool = False) -> list[Res]:
    lb_arn = f"{ELB}:loadbalancer/app/{name}/1"
    lb = Res(
        "aws_lb",
        f"{name}_lb",
        {"name": name, "arn": lb_arn, "load_balancer_type": "application", "internal": False},
    )
    values = {
        "protocol": "HTTPS",
        "port": 443,
        "load_balancer_arn": lb_arn,
        "certificate_arn": CERT,
        "default_action": [
            {
                "type": "forward",
                "target_group_arn": f"{ELB}:targetgroup/{name}/1",
                "redirect": [],
                "forward": [],
                "fixed_response": [],
                "authenticate_cognito": [],
                "authenticate_oidc": [],
            }
        ],
    }
    listener = Res("aws_lb_listener", name, values)
    if unknown_policy:
        listener.unknown = {"ssl_policy": True}
        listener.refs = {"ssl_policy": ["local.ssl_policy"]}
    else:
        values["ssl_policy"] = policy
    return [lb, listener]


def https_cases() -> list[Case]:
    allowed = catalogue.params("FDK-TLS-02")["ssl_policies"]
    out = []
    for policy, expect in [(p, "pass") for p in allowed] + [(p, "fail") for p in OLD_ELB_POLICIES]:
        name = f"tls02_{slug(policy.removeprefix('ELBSecurityPolicy-'))}"
        world = https_world(name, policy)

        def live(snap, name=name, policy=policy):
            lb = f"arn:lb/{name}"
            snap.load_balancers.append({"LoadBalancerArn": lb, "DNSName": f"{name}.elb"})
            snap.listeners[lb] = [
                {
                    "ListenerArn": f"arn:listener/{name}",
                    "Protocol": "HTTPS",
                    "Port": 443,
                    "SslPolicy": policy,
                    "Certificates": [{"CertificateArn": CERT}],
                }
            ]
            snap.certificates[CERT] = {"CertificateArn": CERT, "Status": "ISSUED"}
            return f"arn:listener/{name}"

        out.append(Case("FDK-TLS-02", policy, expect, world, world[1].address, live))
    world = https_world("tls02_unknown", None, unknown_policy=True)
    out.append(Case("FDK-TLS-02", "ssl_policy unknown", "deferred", world, world[1].address))
    return out


# -- FDK-TLS-04 ------------------------------------------------------------------------


def distribution(name: str, viewer: str, version: str, headers_policy: str = "") -> Res:
    return Res(
        "aws_cloudfront_distribution",
        name,
        {
            "enabled": True,
            "aliases": [f"{name.replace('_', '-')}.example.org"],
            "default_cache_behavior": [
                {
                    "target_origin_id": "site",
                    "viewer_protocol_policy": viewer,
                    "allowed_methods": ["GET", "HEAD"],
                    "cached_methods": ["GET", "HEAD"],
                    "response_headers_policy_id": headers_policy or None,
                }
            ],
            "ordered_cache_behavior": [],
            "origin": [
                {
                    "origin_id": "site",
                    "domain_name": f"{name.replace('_', '-')}.s3.{REGION}.amazonaws.com",
                    "origin_access_control_id": "E2OAC",
                }
            ],
            "viewer_certificate": [
                {
                    "acm_certificate_arn": EDGE_CERT,
                    "cloudfront_default_certificate": False,
                    "minimum_protocol_version": version,
                    "ssl_support_method": "sni-only",
                }
            ],
        },
    )


def site_distribution(name: str, origin: dict, arn: str | None = None) -> Res:
    """A complete distribution (every block a plan shows) in front of one origin."""
    res = distribution(name, "redirect-to-https", "TLSv1.2_2021")
    res.values["origin"] = [origin]
    if arn:
        res.values["arn"] = arn
    return res


def cloudfront_cases() -> list[Case]:
    p = catalogue.params("FDK-TLS-04")
    good_viewer, good_version = p["viewer_protocol_policies"][0], p["minimum_protocol_versions"][0]
    variants = [(v, good_viewer, "pass") for v in p["minimum_protocol_versions"]]
    variants += [
        (v, good_viewer, "fail") for v in ("TLSv1.2_2019", "TLSv1.2_2018", "TLSv1.1_2016", "TLSv1")
    ]
    variants += [(good_version, v, "pass") for v in p["viewer_protocol_policies"]]
    variants += [(good_version, "allow-all", "fail")]
    out = []
    for version, viewer, expect in variants:
        name = f"tls04_{slug(version)}_{slug(viewer)}"
        res = distribution(name, viewer, version)

        def live(snap, name=name, version=version, viewer=viewer):
            snap.distributions.append(
                {
                    "Id": name,
                    "ARN": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{name}",
                    "DomainName": f"{name}.cloudfront.net",
                    "DistributionConfig": {
                        "DefaultCacheBehavior": {"ViewerProtocolPolicy": viewer},
                        "CacheBehaviors": {"Items": []},
                        "ViewerCertificate": {
                            "MinimumProtocolVersion": version,
                            "ACMCertificateArn": EDGE_CERT,
                        },
                    },
                }
            )
            return name

        out.append(Case("FDK-TLS-04", f"{version} {viewer}", expect, [res], res.address, live))
    return out


# -- FDK-WEB-01 ------------------------------------------------------------------------


def headers_cases() -> list[Case]:
    want = catalogue.params("FDK-WEB-01")["headers"]
    (coep, coep_value), (coop, coop_value) = want.items()
    variants = {
        "the catalogue's headers": ("pass", dict(want)),
        "COEP unsafe-none": ("fail", {coep: "unsafe-none", coop: coop_value}),
        "no COOP": ("fail", {coep: coep_value}),
        "COOP same-origin-allow-popups": (
            "fail",
            {coep: coep_value, coop: "same-origin-allow-popups"},
        ),
    }
    out = []
    for label, (expect, headers) in variants.items():
        name = f"web01_{slug(label)}"
        policy_id = f"rhp-{name}"
        policy = Res(
            "aws_cloudfront_response_headers_policy",
            f"{name}_policy",
            {
                "id": policy_id,
                "name": name,
                "custom_headers_config": [
                    {
                        "items": [
                            {"header": h, "value": v, "override": True} for h, v in headers.items()
                        ]
                    }
                ],
            },
        )
        dist = distribution(name, "redirect-to-https", "TLSv1.2_2021", headers_policy=policy_id)

        def live(snap, name=name, policy_id=policy_id, headers=headers):
            snap.distributions.append(
                {
                    "Id": name,
                    "ARN": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{name}",
                    "DomainName": f"{name}.cloudfront.net",
                    "DistributionConfig": {
                        "DefaultCacheBehavior": {"ResponseHeadersPolicyId": policy_id}
                    },
                }
            )
            snap.headers_policies[policy_id] = {
                "CustomHeadersConfig": {
                    "Items": [{"Header": h, "Value": v} for h, v in headers.items()]
                }
            }
            return name

        subject = {
            "graph": dist.address,
            "checkov": policy.address,
            "compliance": policy.address,
        }
        out.append(Case("FDK-WEB-01", label, expect, [policy, dist], subject, live))
    return out


# -- FDK-DATA-03 -----------------------------------------------------------------------


def database_cases() -> list[Case]:
    p = catalogue.params("FDK-DATA-03")
    least = p["min_major_version"]
    variants = [
        ("postgres", f"{least}.4", "pass"),
        ("postgres", f"{least + 1}.4", "pass"),
        ("postgres", f"{least + 2}", "pass"),
        ("postgres", f"{least - 1}.10", "fail"),
        ("postgres", "9.6.24", "fail"),
        ("mysql", "8.0.35", "fail"),
    ]
    out = []
    for engine, version, expect in variants:
        name = f"data03_{slug(engine)}_{slug(version)}"
        res = Res(
            "aws_db_instance",
            name,
            {
                "identifier": name.replace("_", "-"),
                "engine": engine,
                "engine_version": version,
                "instance_class": "db.t4g.micro",
                "storage_encrypted": True,
                "publicly_accessible": False,
                "manage_master_user_password": True,
                "password": None,
            },
        )

        def live(snap, name=name, engine=engine, version=version):
            snap.db_instances.append(
                {"DBInstanceArn": name, "Engine": engine, "EngineVersion": version}
            )
            return name

        out.append(Case("FDK-DATA-03", f"{engine} {version}", expect, [res], res.address, live))
    return out


# -- FDK-DATA-04 -----------------------------------------------------------------------


def bucket_cases() -> list[Case]:
    p = catalogue.params("FDK-DATA-04")
    blocks = p["public_access_blocks"]
    variants = {"every block on": ("pass", set())}
    variants |= {f"{b} off": ("fail", {b}) for b in blocks}
    out = []
    for label, (expect, off) in variants.items():
        name = f"data04_{slug(label)}"
        bucket_name = name.replace("_", "-")
        bucket = Res("aws_s3_bucket", name, {"bucket": bucket_name, "id": bucket_name})
        link = {"bucket": [f"{bucket.address}.id", bucket.address]}
        pab = Res(
            "aws_s3_bucket_public_access_block",
            name,
            {"bucket": bucket_name} | {b: b not in off for b in blocks},
            refs=link,
        )
        sse = Res(
            "aws_s3_bucket_server_side_encryption_configuration",
            name,
            {
                "bucket": bucket_name,
                "rule": [
                    {
                        "apply_server_side_encryption_by_default": [
                            {"sse_algorithm": p["sse_algorithms"][0], "kms_master_key_id": None}
                        ],
                        "bucket_key_enabled": None,
                    }
                ],
            },
            refs=link,
        )

        def live(snap, bucket_name=bucket_name, off=off):
            snap.buckets[bucket_name] = {
                "public_access_block": {
                    "".join(w.capitalize() for w in b.split("_")): b not in off for b in blocks
                },
                "encryption": {
                    "Rules": [
                        {
                            "ApplyServerSideEncryptionByDefault": {
                                "SSEAlgorithm": p["sse_algorithms"][0]
                            }
                        }
                    ]
                },
            }
            return bucket_name

        subject = {"graph": bucket.address, "checkov": pab.address, "compliance": pab.address}
        out.append(Case("FDK-DATA-04", label, expect, [bucket, pab, sse], subject, live))
    return out


# -- FDK-ECS-02 ------------------------------------------------------------------------


def health_check_cases() -> list[Case]:
    p = catalogue.params("FDK-ECS-02")
    port, path = p["port"], p["path"]
    variants = [
        (port, path, "traffic-port", "pass", ()),
        (port, path, str(port), "pass", ()),
        (80, path, str(port), "pass", ()),
        (port, "/", "traffic-port", "fail", ()),
        (port, path, "9090", "fail", ()),
        # traffic-port on another target port: the port ECS registers tasks on decides, which
        # checkov does not follow
        (3000, path, "traffic-port", "fail", ("checkov",)),
    ]
    out = []
    for tg_port, hc_path, hc_port, expect, blind in variants:
        name = f"ecs02_{tg_port}_{slug(hc_path) or 'root'}_{slug(hc_port)}"
        res = Res(
            "aws_lb_target_group",
            name,
            {
                "name": name.replace("_", "-")[:32],
                "port": tg_port,
                "protocol": "HTTP",
                "target_type": "ip",
                "health_check": [
                    {
                        "enabled": True,
                        "path": hc_path,
                        "port": hc_port,
                        "protocol": "HTTP",
                        "matcher": "200",
                    }
                ],
            },
        )

        def live(snap, name=name, tg_port=tg_port, hc_path=hc_path, hc_port=hc_port):
            snap.target_groups.append(
                {
                    "TargetGroupArn": name,
                    "Port": tg_port,
                    "HealthCheckPath": hc_path,
                    "HealthCheckPort": hc_port,
                    "HealthCheckEnabled": True,
                }
            )
            return name

        label = f"target port {tg_port}, health check {hc_path} on {hc_port}"
        out.append(Case("FDK-ECS-02", label, expect, [res], res.address, live, frozenset(blind)))
    return out


# -- FDK-IAM-01 ------------------------------------------------------------------------


def ci_user_cases() -> list[Case]:
    allowed = catalogue.params("FDK-IAM-01")["allowed_actions"]
    s3_allowed = [a for a in allowed if a.startswith("s3:")]
    variants = {
        "the deploy actions": ("pass", s3_allowed[:4]),
        "every allowed S3 action": ("pass", s3_allowed),
        "s3:PutBucketPolicy": ("fail", [*s3_allowed[:2], "s3:PutBucketPolicy"]),
        "s3:*": ("fail", ["s3:*"]),
        "*": ("fail", ["*"]),
        "s3:DeleteBucket": ("fail", ["s3:DeleteBucket"]),
    }
    out = []
    for label, (expect, actions) in variants.items():
        name = f"iam01_{slug(label) or 'star'}"
        site = name.replace("_", "-") + "-site"
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": [f"arn:aws:s3:::{site}", f"arn:aws:s3:::{site}/*"],
                }
            ],
        }
        world = [
            Res(
                "aws_s3_bucket",
                f"{name}_site",
                {"bucket": site, "id": site, "arn": f"arn:aws:s3:::{site}"},
            ),
            site_distribution(
                f"{name}_cdn",
                {"origin_id": "site", "domain_name": f"{site}.s3.{REGION}.amazonaws.com"},
                f"arn:aws:cloudfront::{ACCOUNT}:distribution/{name}",
            ),
            Res("aws_iam_user", name, {"name": name, "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}"}),
            Res(
                "aws_iam_user_policy",
                name,
                {"user": name, "name": "deploy", "policy": json.dumps(policy)},
            ),
        ]

        def live(snap, name=name, site=site, policy=policy):
            snap.buckets[site] = {}
            snap.distributions.append(
                {"Id": name, "ARN": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{name}"}
            )
            snap.users[name] = {
                "Arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
                "Policies": {"deploy": policy},
            }
            return f"arn:aws:iam::{ACCOUNT}:user/{name}"

        out.append(Case("FDK-IAM-01", label, expect, world, f"aws_iam_user.{name}", live))
    return out


# -- FDK-TLS-03 ------------------------------------------------------------------------

DOMAIN = "example.net"


def certificate_world(name: str, domain: str, sans: list[str], method: str) -> list[Res]:
    arn = f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/{name}"
    record = f"_{name}.{DOMAIN}"
    return [
        Res(
            "aws_route53_zone",
            f"{name}_zone",
            {"name": DOMAIN, "zone_id": f"Z{name}", "id": f"Z{name}"},
        ),
        Res(
            "aws_acm_certificate",
            name,
            {
                "domain_name": domain,
                "subject_alternative_names": sans,
                "validation_method": method,
                "arn": arn,
            },
        ),
        Res(
            "aws_route53_record",
            f"{name}_validation",
            {
                "name": record,
                "type": "CNAME",
                "zone_id": f"Z{name}",
                "records": ["_x.acm"],
                "ttl": 60,
            },
        ),
        Res(
            "aws_acm_certificate_validation",
            name,
            {"certificate_arn": arn, "validation_record_fqdns": [record]},
        ),
    ]


def certificate_cases() -> list[Case]:
    method = catalogue.params("FDK-TLS-03")["validation_method"]
    wildcard = f"*.{DOMAIN}"
    variants = {
        "wildcard domain name": ("pass", wildcard, [wildcard, DOMAIN], method, ()),
        "wildcard alternative name": ("pass", DOMAIN, [DOMAIN, wildcard], method, ()),
        "no wildcard": ("fail", DOMAIN, [DOMAIN, f"api.{DOMAIN}"], method, ()),
        "e-mail validation": ("fail", wildcard, [wildcard], "EMAIL", ()),
    }
    out = []
    for label, (expect, domain, sans, how, outside) in variants.items():
        name = f"tls03_{slug(label)}"
        world = certificate_world(name, domain, sans, how)
        arn = world[1].values["arn"]

        def live(snap, arn=arn, domain=domain, sans=sans, how=how, name=name):
            snap.scope = Scope(dns_name=DOMAIN)
            record = f"_{name}.{DOMAIN}."
            snap.certificates[arn] = {
                "CertificateArn": arn,
                "DomainName": domain,
                "SubjectAlternativeNames": sans,
                "Status": "ISSUED",
                "DomainValidationOptions": [
                    {"ValidationMethod": how, "ResourceRecord": {"Name": record}}
                ],
            }
            snap.records[f"Z{name}"] = [{"Name": record, "Type": "CNAME"}]
            return arn

        out.append(
            Case(
                "FDK-TLS-03",
                label,
                expect,
                world,
                world[1].address,
                live,
                outside=frozenset(outside),
                variables={"dns_name": DOMAIN},
            )
        )
    return out


# -- FDK-DNS-01 ------------------------------------------------------------------------


def record_cases() -> list[Case]:
    types = catalogue.params("FDK-DNS-01")["record_types"]
    variants = [(t, True, "pass", ()) for t in types]
    # compliance checks only that the zone is public: it cannot tell a record's target
    variants += [("CNAME", True, "fail", ("compliance",)), ("A", False, "fail", ("compliance",))]
    out = []
    for kind, alias, expect, outside in variants:
        name = f"dns01_{slug(kind)}_{'alias' if alias else 'fixed'}"
        lb_dns = f"{name}.{REGION}.elb.amazonaws.com"
        record = {"name": f"api.{DOMAIN}", "type": kind, "zone_id": "Z1"}
        unknown, refs = {}, {}
        if alias and kind != "CNAME":
            # as in a plan from empty state: the alias names the load balancer's DNS name,
            # known after apply
            record["alias"] = [{"zone_id": "ZELB", "evaluate_target_health": True}]
            unknown = {"alias": [{"name": True}]}
            lb_ref = [f"aws_lb.{name}_lb.dns_name", f"aws_lb.{name}_lb"]
            refs = {"alias": [{"name": {"references": lb_ref}, "zone_id": {"constant_value": "Z"}}]}
        else:
            record |= {"alias": [], "records": ["203.0.113.10"], "ttl": 300}
        if kind == "CNAME":
            record |= {"alias": [], "records": [lb_dns], "ttl": 300}
        hcl = ""
        if refs:
            hcl = f"""
resource "aws_lb" "{name}_lb" {{
  name = "{name}"
}}
resource "aws_route53_record" "{name}" {{
  zone_id = "Z1"
  name    = "api.{DOMAIN}"
  type    = "{kind}"
  alias {{
    name                   = aws_lb.{name}_lb.dns_name
    zone_id                = "ZELB"
    evaluate_target_health = true
  }}
}}
"""
        world = [
            # the load balancer's DNS name is known after apply, as in a plan from empty state
            Res("aws_lb", f"{name}_lb", {"name": name, "internal": False}, {"dns_name": True}),
            Res("aws_route53_zone", f"{name}_zone", {"name": DOMAIN, "zone_id": "Z1", "id": "Z1"}),
            Res("aws_route53_record", name, record, unknown, refs),
        ]

        def live(snap, kind=kind, alias=alias, lb_dns=lb_dns):
            snap.scope = Scope(dns_name=DOMAIN, server_host=f"api.{DOMAIN}")
            snap.zones.append({"Name": f"{DOMAIN}.", "Id": "/hostedzone/Z1"})
            snap.load_balancers.append({"LoadBalancerArn": "arn:lb", "DNSName": lb_dns})
            rec = {"Name": f"api.{DOMAIN}.", "Type": kind}
            if alias and kind != "CNAME":
                rec["AliasTarget"] = {"DNSName": f"dualstack.{lb_dns}."}
            else:
                rec["ResourceRecords"] = [{"Value": lb_dns if kind == "CNAME" else "203.0.113.10"}]
            snap.records["Z1"] = [rec]
            return f"api.{DOMAIN}"

        found = world[2].address if alias and kind in types else world[1].address
        subject = {"graph": found, "compliance": world[2].address}
        out.append(
            Case(
                "FDK-DNS-01",
                f"{kind} {'alias' if alias else 'fixed address'}",
                expect,
                world,
                subject,
                live,
                outside=frozenset(outside),
                variables={"dns_name": DOMAIN, "host": "api"},
                hcl=hcl,
            )
        )
    return out


# -- FDK-ECS-01 ------------------------------------------------------------------------


def service_world(name, launch, providers, mode, compat, port) -> tuple[list[Res], str]:
    """A load-balanced ECS service, its task definition and target group; and the HCL of
    the service, from which the graph reads what the plan leaves to apply."""
    td_arn = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{name}:1"
    tg_arn = f"{ELB}:targetgroup/{name}/1"
    container = {
        "name": "server",
        "image": "ghcr.io/example/fdk_server:0.3.0",
        "essential": True,
        "portMappings": [{"containerPort": port, "protocol": "tcp"}],
        "environment": [{"name": "DATABASE__HOST", "value": "db.internal"}],
    }
    task = Res(
        "aws_ecs_task_definition",
        name,
        {
            "family": name,
            "arn": td_arn,
            "requires_compatibilities": compat,
            "network_mode": mode,
            "cpu": "256",
            "memory": "512",
            "container_definitions": json.dumps([container]),
        },
    )
    check = {"enabled": True, "path": "/healthz", "port": "traffic-port", "matcher": "200"}
    tg = Res(
        "aws_lb_target_group",
        name,
        {"arn": tg_arn, "port": port, "target_type": "ip", "health_check": [check]},
    )
    values = {
        "name": name,
        "task_definition": td_arn,
        "capacity_provider_strategy": [{"capacity_provider": p, "weight": 1} for p in providers],
        "network_configuration": [{"subnets": ["subnet-0a"], "assign_public_ip": False}],
        "load_balancer": [
            {"target_group_arn": tg_arn, "container_name": "server", "container_port": port}
        ],
    }
    unknown = {}
    if launch:
        values["launch_type"] = launch
    else:
        unknown["launch_type"] = True  # computed: the provider fills it at apply
    strategy = "".join(
        f'\n  capacity_provider_strategy {{\n    capacity_provider = "{p}"\n    weight = 1\n  }}'
        for p in providers
    )
    # launch_type = null beside a strategy, as the community modules write it
    launch_hcl = f'\n  launch_type = "{launch}"' if launch else "\n  launch_type = null"
    hcl = f'resource "aws_ecs_service" "{name}" {{\n  name = "{name}"{launch_hcl}{strategy}\n}}\n'
    return [task, tg, Res("aws_ecs_service", name, values, unknown)], hcl


def service_cases() -> list[Case]:
    p = catalogue.params("FDK-ECS-01")
    port, mode = p["container_port"], p["network_mode"]
    fargate, spot = p["capacity_providers"][0], p["capacity_providers"][-1]
    svc, td = "aws_ecs_service", "aws_ecs_task_definition"
    # label: (expect, launch, providers, network mode, compatibilities, port, subject kind)
    variants = {
        "Fargate launch type": ("pass", "FARGATE", [], mode, ["FARGATE"], port, "service"),
        "EC2 launch type": ("fail", "EC2", [], mode, ["FARGATE", "EC2"], port, "service"),
        f"{spot} capacity provider": ("pass", None, [spot], mode, ["FARGATE"], port, "service"),
        "EC2 capacity provider": ("fail", None, ["ec2-cp"], mode, ["FARGATE"], port, "service"),
        "bridge networking": ("fail", fargate, [], "bridge", ["FARGATE", "EC2"], port, "task"),
        "EC2-only task": ("fail", fargate, [], mode, ["EC2"], port, "task"),
        "container port 3000": ("fail", fargate, [], mode, ["FARGATE"], 3000, "port"),
    }
    out = []
    for label, (expect, launch, providers, net, compat, cport, kind) in variants.items():
        name = f"ecs01_{slug(label)}"
        world, hcl = service_world(name, launch, providers, net, compat, cport)
        svc_arn = f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/fdk/{name}"
        td_arn = world[0].values["arn"]

        def live(
            snap,
            launch=launch,
            providers=providers,
            net=net,
            compat=compat,
            cport=cport,
            svc_arn=svc_arn,
            td_arn=td_arn,
            kind=kind,
        ):
            service = {
                "serviceArn": svc_arn,
                "taskDefinition": td_arn,
                # the server is the container the load balancer sends traffic to
                "loadBalancers": [{"containerName": "server", "containerPort": cport}],
            }
            if launch:
                service["launchType"] = launch
            service["capacityProviderStrategy"] = [{"capacityProvider": p} for p in providers]
            snap.ecs_services.append(service)
            snap.task_definitions[td_arn] = {
                "taskDefinitionArn": td_arn,
                "requiresCompatibilities": compat,
                "networkMode": net,
                "containerDefinitions": [
                    {
                        "name": "server",
                        "essential": True,
                        "portMappings": [{"containerPort": cport}],
                    }
                ],
            }
            return svc_arn if kind == "service" else td_arn

        subject = {
            "graph": f"{svc}.{name}",
            "checkov": f"{td}.{name}" if kind == "task" else f"{svc}.{name}",
            "compliance": f"{td}.{name}" if kind == "task" else f"{svc}.{name}",
        }
        # checkov reads the plan alone: a launch type left to the provider is unknown to it
        blind = {"checkov"} if launch is None else set()
        out.append(
            Case("FDK-ECS-01", label, expect, world, subject, live, frozenset(blind), hcl=hcl)
        )
    return out


# -- the server's containers: FDK-ECS-03, FDK-ECS-05, FDK-DATA-08, FDK-DATA-02 ---------


def server_env(**changes) -> list[dict]:
    """The FDK server's environment: every variable the catalogue requires but the
    password (a secret); `changes` sets (or, with None, removes) variables."""
    env = {n: "x" for n in catalogue.params("FDK-ECS-03")["required_variables"]}
    env |= {"DATABASE__SSL_MODE": "verify-full", "STORAGE__BACKEND": "s3", "DATABASE__PORT": "5432"}
    env.pop("DATABASE__AUTH__PASSWORD")
    env |= changes
    return [{"name": k, "value": v} for k, v in env.items() if v is not None]


def containers_world(name: str, containers: list[dict], parameters: dict | None = None):
    """A database and a load-balanced Fargate service running `containers` (the first is
    the server, on the catalogue's port): Terraform resources, and the snapshot filler."""
    port = catalogue.params("FDK-ECS-01")["container_port"]
    td_arn = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{name}:1"
    tg_arn = f"{ELB}:targetgroup/{name}/1"
    group = f"{name.replace('_', '-')}-pg"
    task = Res(
        "aws_ecs_task_definition",
        name,
        {
            "family": name,
            "arn": td_arn,
            "requires_compatibilities": ["FARGATE"],
            "network_mode": "awsvpc",
            "container_definitions": json.dumps(containers),
        },
    )
    service = Res(
        "aws_ecs_service",
        name,
        {
            "name": name,
            "launch_type": "FARGATE",
            "task_definition": td_arn,
            "load_balancer": [
                {"target_group_arn": tg_arn, "container_name": "server", "container_port": port}
            ],
        },
    )
    db = {"identifier": name.replace("_", "-"), "engine": "postgres", "engine_version": "16.4"}
    db |= {"manage_master_user_password": True, "password": None, "storage_encrypted": True}
    check = {"enabled": True, "path": "/healthz", "port": "traffic-port", "matcher": "200"}
    tg = Res("aws_lb_target_group", name, {"arn": tg_arn, "port": port, "health_check": [check]})
    world = [task, service, tg]
    if parameters is not None:
        db["parameter_group_name"] = group
        world.append(
            Res(
                "aws_db_parameter_group",
                name,
                {
                    "name": group,
                    "id": group,
                    "family": "postgres16",
                    "parameter": [{"name": k, "value": v} for k, v in parameters.items()],
                },
            )
        )
    world.append(Res("aws_db_instance", name, db))

    def live(snap):
        snap.ecs_services.append(
            {
                "serviceArn": f"arn:svc/{name}",
                "taskDefinition": td_arn,
                "loadBalancers": [{"containerName": "server", "containerPort": 8080}],
            }
        )
        snap.task_definitions[td_arn] = {
            "taskDefinitionArn": td_arn,
            "containerDefinitions": containers,
        }
        db_live = {
            "DBInstanceArn": f"arn:db/{name}",
            "MasterUserSecret": {
                "SecretArn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:x"
            },
            "DBParameterGroups": [{"DBParameterGroupName": group}] if parameters else [],
        }
        snap.db_instances.append(db_live)
        snap.db_parameters[group] = dict(parameters or {})
        return td_arn

    return world, live


def server(env: list[dict], secrets=("DATABASE__AUTH__PASSWORD",), **extra) -> dict:
    port = catalogue.params("FDK-ECS-01")["container_port"]
    return {
        "name": "server",
        "image": "ghcr.io/example/fdk_server:0.3.0",
        "essential": True,
        "portMappings": [{"containerPort": port, "protocol": "tcp"}],
        "environment": env,
        "secrets": [{"name": n, "valueFrom": "arn:aws:secretsmanager:x"} for n in secrets],
        **extra,
    }


def container_cases() -> list[Case]:
    out = []
    task = "aws_ecs_task_definition"

    def add(control, label, expect, containers, parameters=None, on_db=False, outside=()):
        """`on_db`: the verdict is about the database (its parameter group), else about the
        task definition; `outside`: partial engines that do not read container definitions
        (they judge the database only, and so report on it)."""
        name = f"{slug(control)}_{slug(label)}"
        world, live = containers_world(name, containers, parameters)
        db, td = f"aws_db_instance.{name}", f"{task}.{name}"
        subject = {"graph": db if on_db else td, "checkov": db, "compliance": db}

        def subject_live(snap, live=live, name=name):
            td_arn = live(snap)
            return f"arn:db/{name}" if on_db else td_arn

        case = Case(control, label, expect, world, subject, subject_live)
        case.outside = frozenset(outside)
        out.append(case)

    for mode in catalogue.params("FDK-DATA-08")["ssl_modes"]:
        env = server_env(DATABASE__SSL_MODE=mode)
        add("FDK-DATA-08", f"ssl mode {mode}", "pass", [server(env)])
    for mode in ("prefer", "disable", "allow"):
        env = server_env(DATABASE__SSL_MODE=mode)
        add("FDK-DATA-08", f"ssl mode {mode}", "fail", [server(env)])
    force = catalogue.params("FDK-DATA-08")["force_ssl_parameter"]
    for value, expect in (("1", "pass"), ("0", "fail")):
        parameters = {force: value}
        add("FDK-DATA-08", f"{force} {value}", expect, [server(server_env())], parameters, True)

    ecs05 = catalogue.params("FDK-ECS-05")
    for label, essential, condition, expect in (
        ("non-essential, server waits for it", False, ecs05["condition"], "pass"),
        ("essential", True, ecs05["condition"], "fail"),
        ("server waits only for its start", False, "START", "fail"),
    ):
        init = {"name": f"db-{ecs05['migration_words'][0]}e", "image": "x", "essential": essential}
        main = server(
            server_env(), dependsOn=[{"containerName": init["name"], "condition": condition}]
        )
        add("FDK-ECS-05", label, expect, [main, init])

    required = catalogue.params("FDK-ECS-03")["required_variables"]
    add("FDK-ECS-03", "every variable", "pass", [server(server_env())])
    for missing in (required[0], "STORAGE__REGION", required[-1]):
        env = server_env(**{missing: None})
        secrets = [n for n in ("DATABASE__AUTH__PASSWORD",) if n != missing]
        add("FDK-ECS-03", f"no {missing}", "fail", [server(env, secrets=secrets)])

    secret = catalogue.params("FDK-DATA-02")["secret_variables"][0]
    add("FDK-DATA-02", f"{secret} in secrets", "pass", [server(server_env())])
    env_only = ("checkov", "compliance")  # they judge the database's password only
    leak = server(server_env(**{secret: "hunter2"}), secrets=())
    add("FDK-DATA-02", f"{secret} in environment", "fail", [leak], outside=env_only)
    for leaked in ("OIDC_CLIENT_SECRET", "SENTRY_TOKEN", "STORAGE__ACCESS_KEY"):
        containers = [server(server_env(**{leaked: "v"}))]
        add("FDK-DATA-02", f"{leaked} in environment", "fail", containers, outside=env_only)
    return out


# -- FDK-IAM-03 ------------------------------------------------------------------------


def oidc_cases() -> list[Case]:
    p = catalogue.params("FDK-IAM-03")
    issuer, audience = p["issuer"], p["audience"]
    one_repo = "repo:example-org/fdk-viewer:ref:refs/heads/main"
    variants = {
        "audience and one repository": ("pass", {"aud": [audience], "sub": [one_repo]}),
        "another audience": ("fail", {"aud": ["sts.example.com"], "sub": [one_repo]}),
        "no audience": ("fail", {"sub": [one_repo]}),
        "any repository of the owner": ("fail", {"aud": [audience], "sub": ["repo:example-org/*"]}),
        "any owner": ("fail", {"aud": [audience], "sub": ["repo:*/fdk-viewer:*"]}),
        "no sub": ("fail", {"aud": [audience]}),
    }
    out = []
    for label, (expect, condition) in variants.items():
        name = f"iam03_{slug(label)}"
        site = name.replace("_", "-") + "-site"
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{issuer}"},
                    "Condition": {
                        "StringLike" if "*" in str(condition) else "StringEquals": {
                            f"{issuer}:{k}": v for k, v in condition.items()
                        }
                    },
                }
            ],
        }
        deploy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:PutObject"],
                    "Resource": f"arn:aws:s3:::{site}/*",
                }
            ],
        }
        arn = f"arn:aws:iam::{ACCOUNT}:role/{name}"
        world = [
            Res("aws_s3_bucket", f"{name}_site", {"bucket": site, "id": site}),
            site_distribution(
                f"{name}_cdn", {"origin_id": "site", "domain_name": f"{site}.s3.amazonaws.com"}
            ),
            Res(
                "aws_iam_role",
                name,
                {"name": name, "arn": arn, "assume_role_policy": json.dumps(trust)},
            ),
            Res("aws_iam_role_policy", name, {"role": name, "policy": json.dumps(deploy)}),
        ]

        def live(snap, name=name, arn=arn, trust=trust, deploy=deploy):
            snap.roles[name] = {
                "RoleName": name,
                "Arn": arn,
                "AssumeRolePolicyDocument": trust,
                "Policies": {"deploy": deploy},
            }
            return arn

        out.append(Case("FDK-IAM-03", label, expect, world, f"aws_iam_role.{name}", live))
    return out


# -- the network: FDK-NET-01, FDK-NET-03, FDK-NET-06 -------------------------------------


def network(name: str, public_azs: list[str], private_azs: list[str]):
    """A VPC with an internet gateway, a public subnet in each of `public_azs` (routed to
    it) and a private one in each of `private_azs` (routed to a NAT gateway): resources,
    and the snapshot filler. Subnet IDs are subnet-<name>-<tier>-<az>."""
    vpc, igw, nat = f"vpc-{name}", f"igw-{name}", f"nat-{name}"
    world = [
        Res("aws_vpc", name, {"id": vpc, "cidr_block": "10.0.0.0/16"}),
        Res("aws_internet_gateway", name, {"id": igw, "vpc_id": vpc}),
    ]
    tables = {
        "public": {"cidr_block": "0.0.0.0/0", "gateway_id": igw, "nat_gateway_id": ""},
        "private": {"cidr_block": "0.0.0.0/0", "gateway_id": "", "nat_gateway_id": nat},
    }
    subnets = {}
    for tier, azs in (("public", public_azs), ("private", private_azs)):
        table = f"rtb-{name}-{tier}"
        world.append(
            Res(
                "aws_route_table",
                f"{name}_{tier}",
                {"id": table, "vpc_id": vpc, "route": [tables[tier]]},
            )
        )
        for i, az in enumerate(azs):
            sid = f"subnet-{name}-{tier}-{az}"
            subnets[sid] = (tier, az)
            cidr = f"10.0.{i + (0 if tier == 'public' else 10)}.0/24"
            world.append(
                Res(
                    "aws_subnet",
                    f"{name}_{tier}_{slug(az)}",
                    {"id": sid, "vpc_id": vpc, "availability_zone": az, "cidr_block": cidr},
                )
            )
            world.append(
                Res(
                    "aws_route_table_association",
                    f"{name}_{tier}_{slug(az)}",
                    {"subnet_id": sid, "route_table_id": table},
                )
            )
    first_public = next((s for s, (t, _) in subnets.items() if t == "public"), None)
    world.append(Res("aws_nat_gateway", name, {"id": nat, "subnet_id": first_public}))

    def live(snap):
        snap.vpcs.append({"VpcId": vpc})
        for sid, (_tier, az) in subnets.items():
            snap.subnets[sid] = {"SubnetId": sid, "VpcId": vpc, "AvailabilityZone": az}
        for tier in ("public", "private"):
            route = {"DestinationCidrBlock": "0.0.0.0/0"}
            route |= {"GatewayId": igw} if tier == "public" else {"NatGatewayId": nat}
            snap.route_tables.append(
                {
                    "RouteTableId": f"rtb-{name}-{tier}",
                    "VpcId": vpc,
                    "Associations": [{"SubnetId": s} for s, (t, _) in subnets.items() if t == tier],
                    "Routes": [route],
                }
            )
        snap.nat_gateways.append({"NatGatewayId": nat, "SubnetId": first_public})

    return world, live, subnets


def multi_az_cases() -> list[Case]:
    need = catalogue.params("FDK-NET-01")["min_azs"]
    azs = [f"{REGION}{c}" for c in "abc"]
    variants = {
        f"{need} AZs": ("pass", azs[:need], azs[:need]),
        "3 AZs": ("pass", azs, azs),
        "1 AZ": ("fail", azs[:1], azs[:1]),
        "private subnets in 1 AZ": ("fail", azs[:need], azs[:1]),
    }
    out = []
    for label, (expect, public, private) in variants.items():
        name = f"net01_{slug(label)}"
        world, fill, _ = network(name, public, private)

        def live(snap, fill=fill, name=name):
            fill(snap)
            return f"vpc-{name}"

        out.append(Case("FDK-NET-01", label, expect, world, f"aws_vpc.{name}", live))
    return out


def alb_cases() -> list[Case]:
    need = catalogue.params("FDK-NET-03")["min_azs"]
    azs = [f"{REGION}{c}" for c in "abc"]
    variants = {
        f"public subnets of {need} AZs": ("pass", False, "public", azs[:need], ()),
        "public subnets of 3 AZs": ("pass", False, "public", azs, ()),
        "public subnet of 1 AZ": ("fail", False, "public", azs[:1], ("compliance",)),
        "private subnets": ("fail", False, "private", azs[:need], ("compliance",)),
        "internal": ("fail", True, "public", azs[:need], ()),
    }
    out = []
    for label, (expect, internal, tier, lb_azs, outside) in variants.items():
        name = f"net03_{slug(label)}"
        world, fill, subnets = network(name, azs, azs)
        placed = [f"subnet-{name}-{tier}-{az}" for az in lb_azs]
        arn = f"{ELB}:loadbalancer/app/{name}/1"
        world.append(
            Res(
                "aws_lb",
                name,
                {
                    "name": name,
                    "arn": arn,
                    "internal": internal,
                    "load_balancer_type": "application",
                    "subnets": placed,
                },
            )
        )

        def live(snap, fill=fill, arn=arn, internal=internal, placed=placed, subnets=subnets):
            fill(snap)
            snap.load_balancers.append(
                {
                    "LoadBalancerArn": arn,
                    "Scheme": "internal" if internal else "internet-facing",
                    "AvailabilityZones": [
                        {"SubnetId": s, "ZoneName": subnets[s][1]} for s in placed
                    ],
                }
            )
            return arn

        case = Case("FDK-NET-03", label, expect, world, f"aws_lb.{name}", live)
        case.outside = frozenset(outside)
        out.append(case)
    return out


def world_ingress_cases() -> list[Case]:
    ports = catalogue.params("FDK-NET-06")["alb_public_ports"]
    variants = {
        "the ALB open on its public ports": ("pass", "alb", ports, "0.0.0.0/0"),
        "the ALB open on 8080": ("fail", "alb", [*ports, 8080], "0.0.0.0/0"),
        "the ALB open on 22": ("fail", "alb", [22], "0.0.0.0/0"),
        "another group open on 443": ("fail", "tasks", [ports[-1]], "0.0.0.0/0"),
        # as wide as the catalogue's internet_prefix: the internet too
        "another group open to 0.0.0.0/1": ("fail", "tasks", [8080], "0.0.0.0/1"),
    }
    out = []
    for label, (expect, owner, open_ports, cidr) in variants.items():
        name = f"net06_{slug(label)}"
        sg = f"sg-{name}"
        rules = [
            {
                "from_port": port,
                "to_port": port,
                "protocol": "tcp",
                "cidr_blocks": [cidr],
                "ipv6_cidr_blocks": [],
                "security_groups": [],
                "self": False,
                "description": "",
                "prefix_list_ids": [],
            }
            for port in open_ports
        ]
        lb_groups = [sg] if owner == "alb" else [f"sg-{name}-alb"]
        world = [
            Res("aws_security_group", name, {"id": sg, "name": name, "ingress": rules}),
            Res(
                "aws_lb",
                name,
                {"name": name, "internal": False, "security_groups": lb_groups},
            ),
        ]
        if owner != "alb":
            world.append(
                Res("aws_security_group", f"{name}_alb", {"id": lb_groups[0], "ingress": []})
            )

        def live(snap, sg=sg, open_ports=open_ports, lb_groups=lb_groups, cidr=cidr):
            snap.security_groups[sg] = {
                "GroupId": sg,
                "IpPermissions": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": port,
                        "ToPort": port,
                        "IpRanges": [{"CidrIp": cidr}],
                    }
                    for port in open_ports
                ],
            }
            snap.load_balancers.append({"LoadBalancerArn": "arn:lb", "SecurityGroups": lb_groups})
            return sg

        # terraform-compliance judges ports, not which group is the ALB's, nor other ranges
        outside = ("compliance",) if owner != "alb" or cidr != "0.0.0.0/0" else ()
        case = Case("FDK-NET-06", label, expect, world, f"aws_security_group.{name}", live)
        case.outside = frozenset(outside)
        out.append(case)
    return out


# -- FDK-DATA-05 -----------------------------------------------------------------------


def origin_access_cases() -> list[Case]:
    p = catalogue.params("FDK-DATA-05")
    variants = {
        f"signing {p['signing_behavior']}": ("pass", p["signing_behavior"], True),
        "signing never": ("fail", "never", True),
        "signing no-override": ("fail", "no-override", True),
        "no origin access control": ("fail", p["signing_behavior"], False),
    }
    out = []
    for label, (expect, signing, attached) in variants.items():
        name = f"data05_{slug(label)}"
        site = name.replace("_", "-")
        dist_arn = f"arn:aws:cloudfront::{ACCOUNT}:distribution/{name}"
        oac_id = f"E{name.upper()}"
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": p["cloudfront_principal"]},
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{site}/*",
                    "Condition": {"StringEquals": {"AWS:SourceArn": dist_arn}},
                }
            ],
        }
        origin = {
            "origin_id": "site",
            "domain_name": f"{site}.s3.{REGION}.amazonaws.com",
            "origin_access_control_id": oac_id if attached else "",
        }
        world = [
            Res("aws_s3_bucket", name, {"bucket": site, "id": site}),
            Res("aws_s3_bucket_policy", name, {"bucket": site, "policy": json.dumps(policy)}),
            Res(
                "aws_cloudfront_origin_access_control",
                name,
                {
                    "id": oac_id,
                    "name": name,
                    "origin_access_control_origin_type": "s3",
                    "signing_behavior": signing,
                    "signing_protocol": "sigv4",
                },
            ),
            site_distribution(name, origin, dist_arn),
        ]

        def live(snap, site=site, policy=policy, dist_arn=dist_arn, origin=origin):
            snap.buckets[site] = {"policy": policy}
            api_origin = {"DomainName": origin["domain_name"]}
            if origin["origin_access_control_id"]:
                api_origin["OriginAccessControlId"] = origin["origin_access_control_id"]
            snap.distributions.append(
                {
                    "Id": site,
                    "ARN": dist_arn,
                    "DistributionConfig": {"Origins": {"Items": [api_origin]}},
                }
            )
            return site

        subject = {
            "graph": f"aws_cloudfront_distribution.{name}",
            "compliance": f"aws_cloudfront_distribution.{name}"
            if not attached
            else f"aws_cloudfront_origin_access_control.{name}",
        }
        # the live check reads the bucket policy and the origins, not the access control's
        # own settings (AWS's API for them is not in the snapshot)
        out.append(
            Case(
                "FDK-DATA-05",
                label,
                expect,
                world,
                subject,
                live if expect == "pass" or not attached else None,
            )
        )
    return out


# -- FDK-DATA-07 -----------------------------------------------------------------------


def data_bucket_cases() -> list[Case]:
    prefix = "fdk-data-"
    create = catalogue.params("FDK-DATA-07")["create_actions"][0]
    under = [f"arn:aws:s3:::{prefix}*", f"arn:aws:s3:::{prefix}*/*"]
    variants = {
        "buckets under the prefix": ("pass", [create, "s3:GetObject", "s3:PutObject"], under),
        "every bucket": ("fail", [create, "s3:GetObject"], ["arn:aws:s3:::*"]),
        "another bucket": ("fail", ["s3:GetObject"], [*under, "arn:aws:s3:::other-bucket/*"]),
        "s3:* on every bucket": ("fail", ["s3:*"], ["*"]),
    }
    out = []
    for label, (expect, actions, resources) in variants.items():
        name = f"data07_{slug(label)}"
        role_arn = f"arn:aws:iam::{ACCOUNT}:role/{name}"
        env = server_env(STORAGE__BUCKET_PREFIX=prefix, STORAGE__READER_ROLE_ARN=role_arn)
        world, fill = containers_world(name, [server(env)])
        world[0].values["task_role_arn"] = role_arn
        doc = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resources}],
        }
        world += [
            Res("aws_iam_role", name, {"name": name, "arn": role_arn}),
            Res("aws_iam_role_policy", name, {"role": name, "policy": json.dumps(doc)}),
        ]

        def live(snap, fill=fill, name=name, role_arn=role_arn, doc=doc):
            td_arn = fill(snap)
            snap.task_definitions[td_arn]["taskRoleArn"] = role_arn
            snap.roles[name] = {"RoleName": name, "Arn": role_arn, "Policies": {"data": doc}}
            return role_arn

        out.append(Case("FDK-DATA-07", label, expect, world, f"aws_iam_role.{name}", live))
    return out


# -- FDK-NET-07 ------------------------------------------------------------------------


def bastion_cases() -> list[Case]:
    p = catalogue.params("FDK-NET-07")
    ssh = p["forbidden_port"]
    # label: (expect, http_tokens, ingress ports, subnet tier, SSM policy, outside)
    variants = {
        "IMDSv2 in a private subnet": ("pass", p["http_tokens"], [], "private", True, ()),
        "IMDSv1 allowed": ("fail", "optional", [], "private", True, ()),
        f"port {ssh} open": ("fail", p["http_tokens"], [ssh], "private", True, ("checkov",)),
        "a public subnet": (
            "fail",
            p["http_tokens"],
            [],
            "public",
            True,
            ("checkov", "compliance"),
        ),
        "no SSM policy": (
            "fail",
            p["http_tokens"],
            [],
            "private",
            False,
            ("checkov", "compliance"),
        ),
    }
    out = []
    azs = [f"{REGION}a", f"{REGION}b"]
    for label, (expect, tokens, ports, tier, ssm, outside) in variants.items():
        name = f"net07_{slug(label)}"
        world, fill, _ = network(name, azs, azs)
        subnet = f"subnet-{name}-{tier}-{azs[0]}"
        sg, role, profile = f"sg-{name}", f"{name}-role", f"{name}-profile"
        policy = f"arn:aws:iam::aws:policy/{p['ssm_policy'] if ssm else 'ReadOnlyAccess'}"
        rules = [
            {
                "from_port": x,
                "to_port": x,
                "protocol": "tcp",
                "cidr_blocks": ["10.0.0.0/8"],
                "ipv6_cidr_blocks": [],
                "security_groups": [],
                "self": False,
                "description": "ssh",
                "prefix_list_ids": [],
            }
            for x in ports
        ]
        world += [
            Res("aws_security_group", name, {"id": sg, "ingress": rules}),
            Res("aws_iam_role", name, {"name": role, "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}"}),
            Res("aws_iam_role_policy_attachment", name, {"role": role, "policy_arn": policy}),
            Res("aws_iam_instance_profile", name, {"name": profile, "role": role}),
            Res(
                "aws_instance",
                name,
                {
                    "ami": "ami-0abcdef1234567890",
                    "instance_type": "t3.micro",
                    "subnet_id": subnet,
                    "associate_public_ip_address": False,
                    "iam_instance_profile": profile,
                    "vpc_security_group_ids": [sg],
                    "metadata_options": [{"http_endpoint": "enabled", "http_tokens": tokens}],
                },
            ),
        ]

        def live(
            snap,
            fill=fill,
            name=name,
            subnet=subnet,
            sg=sg,
            ports=ports,
            tokens=tokens,
            role=role,
            profile=profile,
            policy=policy,
        ):
            fill(snap)
            snap.security_groups[sg] = {
                "GroupId": sg,
                "IpPermissions": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": x,
                        "ToPort": x,
                        "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
                    }
                    for x in ports
                ],
            }
            snap.instance_profiles[profile] = {"Roles": [{"RoleName": role}]}
            snap.roles[role] = {"RoleName": role, "Policies": {policy: {}}}
            snap.instances.append(
                {
                    "InstanceId": name,
                    "SubnetId": subnet,
                    "SecurityGroups": [{"GroupId": sg}],
                    "IamInstanceProfile": {
                        "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{profile}"
                    },
                    "MetadataOptions": {"HttpTokens": tokens},
                }
            )
            return name

        instance = f"aws_instance.{name}"
        # terraform-compliance names the security group that opens the port
        subject = {"graph": instance, "checkov": instance, "live": ""}
        subject["compliance"] = f"aws_security_group.{name}" if ports else instance
        case = Case("FDK-NET-07", label, expect, world, subject, live)
        case.outside = frozenset(outside)
        out.append(case)
    return out


def all_cases() -> list[Case]:
    return [
        *log_cases(),
        *redirect_cases(),
        *https_cases(),
        *cloudfront_cases(),
        *headers_cases(),
        *database_cases(),
        *bucket_cases(),
        *health_check_cases(),
        *ci_user_cases(),
        *certificate_cases(),
        *record_cases(),
        *service_cases(),
        *container_cases(),
        *oidc_cases(),
        *multi_az_cases(),
        *alb_cases(),
        *world_ingress_cases(),
        *origin_access_cases(),
        *data_bucket_cases(),
        *bastion_cases(),
    ]
