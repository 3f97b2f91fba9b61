"""One definition per control: every constant a scenario compares with is the catalogue's
parameter (policies/catalogue.yaml `params:`), spelled the one way `exact()` spells a list.

Each scenario's value steps (what it compares: "its value must be 14", a regex, a port
range, a When-filter's value) must be listed here, built from the parameters, or be AWS's
own vocabulary (VOCABULARY: true/false, HTTP/HTTPS, the world CIDR...). A changed parameter
makes this test name the step to change; a constant typed into a feature that is neither
fails it too.
"""

from __future__ import annotations

import re

import pytest

from fdk_guard import catalogue
from tests.compliance.features import FeatureScenario, scenarios

# a step that compares with a value
VALUE_STEP = re.compile(
    r"^(?:And|Then) (?:its|any of its|all of its) (?:value|values|header key)|"
    r"protocol and port|^(?:When|And) its \S+ (?:is|has|includes|contains|does not|is not)"
)
# AWS's and Terraform's own words, not parameters of a control
VOCABULARY = {
    "And its value must be true",
    "And its value must be false",
    "And its value must be null",
    "And its value must not be null",
    "When its protocol is HTTP",
    "When its protocol is HTTPS",
    "When its load_balancer_type is application",
    "And its internal is true",
    "When its associate_public_ip_address is true",
    "When its cidr_ipv4 is 0.0.0.0/0",
    "When its cidr_ipv6 is ::/0",
    "And its value must be redirect",  # the listener action type
    "And its value must be s3",  # the origin access control's origin type
    "And its value must contain FARGATE",  # the task definition's compatibility
    "When its launch_type is not FARGATE",  # the ECS launch type
    'And its value must not match the "^\\*$" regex',  # the wildcard: any origin, action
    'And its value must not match the "alias/aws/" regex',  # AWS-managed keys' aliases
    'When its domain_name is not "^\\*\\." regex',  # a wildcard certificate name
    'And its subject_alternative_names does not include "^\\*\\." regex',
    # a whole account as a trust principal: anyone, its root, or its bare ID
    'And its value must not match the "(^\\*$|.*:root$|^[0-9]{12}$)" regex',
}


def exact(values) -> str:
    """The regex of exactly these values (no prefix, no pattern): ^(a|b|c)$."""
    return "^(" + "|".join(re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", str(v)) for v in values) + ")$"


def matches(values) -> str:
    return f'And its value must match the "{exact(values)}" regex'


def port_gaps(ports: list[int]) -> list[str]:
    """The ranges between the allowed ports: [80, 443] -> 1-79, 81-442, 444-65535."""
    edges = [0, *sorted(ports), 65536]
    return [f"{lo + 1}-{hi - 1}" for lo, hi in zip(edges, edges[1:], strict=False) if hi - lo > 1]


def expected() -> dict[str, list[str]]:
    """scenario name -> the value steps it must have, both built from the parameters."""
    p = catalogue.params
    net06, net07 = p("FDK-NET-06"), p("FDK-NET-07")
    ports = net06["alb_public_ports"]
    low, mid, high = port_gaps(ports)
    redirect = p("FDK-TLS-01")["redirect"]
    tls04, ecs01, ecs02 = p("FDK-TLS-04"), p("FDK-ECS-01"), p("FDK-ECS-02")
    (coep, coep_value), (coop, coop_value) = p("FDK-WEB-01")["headers"].items()
    world = "for 0.0.0.0/0"
    out = {
        f"No security group opens ports below {ports[0]} to the internet": [
            f"Then it must not have tcp protocol and port {low} {world}"
        ],
        f"No security group opens ports between {ports[0]} and {ports[1]} to the internet": [
            f"Then it must not have tcp protocol and port {mid} {world}"
        ],
        f"No security group opens ports above {ports[1]} to the internet": [
            f"Then it must not have tcp protocol and port {high} {world}"
        ],
        "The bastion requires IMDSv2 tokens": [f"And its value must be {net07['http_tokens']}"],
        f"No security group opens SSH (port {net07['forbidden_port']}) from any network": [
            f"Then it must not have tcp protocol and port {net07['forbidden_port']} for .*"
        ],
        "The database engine is PostgreSQL": [matches(p("FDK-DATA-03")["engines"])],
        "The origin access control always signs, with SigV4": [
            f"And its value must be {p('FDK-DATA-05')['signing_behavior']}"
        ],
        "The HTTP redirect goes to HTTPS": [f"And its value must be {redirect['protocol']}"],
        f"The HTTP redirect goes to port {redirect['port']}": [
            f"And its value must be {redirect['port']}"
        ],
        "The HTTP redirect is permanent (301)": [
            f"And its value must be {redirect['status_code']}"
        ],
        "HTTPS listeners use a TLS 1.2+ security policy": [
            matches(p("FDK-TLS-02")["ssl_policies"])
        ],
        "ACM certificates are validated through DNS": [
            f"And its value must be {p('FDK-TLS-03')['validation_method']}"
        ],
        "CloudFront sends viewers to HTTPS": [matches(tls04["viewer_protocol_policies"])],
        "CloudFront accepts TLS 1.2 (2021 ciphers) or later only": [
            matches(tls04["minimum_protocol_versions"])
        ],
        f"The response headers policy sets {coep}": [f"And its header key must be {coep}"],
        f"The response headers policy sends the value {coep_value}": [
            f'And any of its values must match the "{exact([coep_value])}" regex'
        ],
        f"The response headers policy sets {coop}": [f"And its header key must be {coop}"],
        f"The response headers policy sends the value {coop_value}": [
            f'And any of its values must match the "{exact([coop_value])}" regex'
        ],
        "The task definition uses awsvpc networking": [
            f"And its value must be {ecs01['network_mode']}"
        ],
        "A service's capacity provider strategy uses only Fargate": [
            matches(ecs01["capacity_providers"])
        ],
        f"The service sends load-balancer traffic to container port {ecs01['container_port']}": [
            f"And its value must be {ecs01['container_port']}"
        ],
        f"A target group on another port than {ecs02['port']} health-checks port {ecs02['port']}": [
            f"When its port is not {ecs02['port']}",
            f"And its value must be {ecs02['port']}",
        ],
        f"The health check asks for {ecs02['path']}": [f"And its value must be {ecs02['path']}"],
        f"The health check targets port {ecs02['port']}": [
            matches([ecs02["port"], "traffic-port"])
        ],
        f"Every CloudWatch log group keeps logs exactly {p('FDK-LOG-01')['retention_days']} days": [
            f"And its value must be {p('FDK-LOG-01')['retention_days']}"
        ],
    }
    for family in ("IPv4", "IPv6"):
        for verb in ("are only for", "end at"):
            what = "HTTP and HTTPS" if verb == "are only for" else "HTTP or HTTPS"
            out[f"Standalone {family} ingress rules from the internet {verb} {what}"] = [
                matches(ports)
            ]
    return out


def value_steps(sc: FeatureScenario) -> list[str]:
    return [s for s in sc.steps if VALUE_STEP.search(s)]


@pytest.fixture(scope="module")
def by_name() -> dict[str, FeatureScenario]:
    return {sc.name: sc for sc in scenarios()}


def test_every_parameter_step_is_in_its_scenario(by_name) -> None:
    for name, steps in expected().items():
        assert name in by_name, f"no scenario {name!r}: rename it with its parameter"
        for step in steps:
            assert step in by_name[name].steps, f"{name!r}: expected step {step!r}"


def test_every_constant_in_a_feature_is_a_parameter_or_aws_vocabulary(by_name) -> None:
    table = expected()
    version = {"The PostgreSQL major version is 15 or later"}  # a range: checked below
    stray = [
        (sc.name, step)
        for sc in by_name.values()
        if sc.name not in version
        for step in value_steps(sc)
        if step not in VOCABULARY and step not in table.get(sc.name, [])
    ]
    assert len([s for sc in by_name.values() for s in value_steps(sc)]) > 40
    assert stray == []


def test_the_version_regex_admits_exactly_the_catalogue_majors(by_name) -> None:
    least = catalogue.params("FDK-DATA-03")["min_major_version"]
    sc = by_name[f"The PostgreSQL major version is {least} or later"]
    [step] = [s for s in sc.steps if "must match" in s]
    regex = re.compile(re.search(r'"(.+)"', step)[1])
    for major in range(1, 400):
        for version in (f"{major}", f"{major}.4", f"{major}.4.2"):
            assert bool(regex.match(version)) == (major >= least), version


def test_the_public_access_scenarios_are_the_catalogue_blocks(by_name) -> None:
    blocks = {
        step.removeprefix("Then it must contain ")
        for sc in by_name.values()
        if sc.steps and sc.steps[0] == "Given I have aws_s3_bucket_public_access_block defined"
        for step in sc.steps
        if step.startswith("Then it must contain ")
    }
    assert blocks == set(catalogue.params("FDK-DATA-04")["public_access_blocks"])


@pytest.mark.parametrize(
    ("values", "good", "bad"),
    [
        (
            ["ELBSecurityPolicy-TLS13-1-2-2021-06"],
            "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-2021-06-x",
        ),
        (["TLSv1.2_2021"], "TLSv1.2_2021", "TLSv1a2_2021"),
    ],
)
def test_exact_matches_only_the_listed_values(values, good, bad) -> None:
    assert re.match(exact(values), good) and not re.match(exact(values), bad)
