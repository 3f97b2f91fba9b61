"""FDK-DNS-01: a Route53 zone for dns_name; the server answers at <host>.<dns_name>, or at
dns_name when host is empty, as an alias to the ALB.

The record that counts aliases the FDK server's load balancer. Records aliasing another
load balancer, or the server's under another name, are not held to it. A record name the
zone does not end is relative to it (Route53 appends the zone's name). A root without a
`host` variable names the server's host itself: any name at or under dns_name will do.
"""

from ._lib import (
    LB_TYPES,
    Verdicts,
    domains,
    first_block,
    fqdn,
    is_unknown,
    params,
    record_zone,
    server_fronts,
    show,
)

CONTROL = "FDK-DNS-01"


def _zone_names(g) -> dict[str, object]:
    return {
        str(z.values.get("name")).rstrip(".").lower(): z
        for z in g.of_type("aws_route53_zone")
        if isinstance(z.values.get("name"), str)
    }


def _wanted(g) -> tuple[str | None, str | None]:
    """(the exact name the server must answer at, else the domain it must be at or under)."""
    domain = g.var("dns_name")
    if not isinstance(domain, str) or not domain:
        return None, None  # any name in a zone of the root
    domain = domain.rstrip(".").lower()
    host = g.var("host")
    if "host" not in g.variables or not isinstance(host, str):
        return None, domain  # not the reference's interface: the root picks the host
    return (f"{host}.{domain}" if host else domain), None


def _fits(name: str, exact: str | None, under: str | None) -> bool:
    if exact is not None:
        return name == exact
    return under is None or name == under or name.endswith("." + under)


def check(g):
    v = Verdicts(CONTROL)
    types = params(CONTROL)["record_types"]
    lbs = g.of_type(*LB_TYPES)
    zones = _zone_names(g)
    if not lbs:
        return v.done("no load balancer in this root: no server address to publish")
    if not zones and not isinstance(g.var("dns_name"), str):
        return v.done("no Route53 zone and no dns_name in this root: DNS is managed elsewhere")
    missing = sorted(n for n in domains(g) if n not in zones)
    if missing:
        v.fail("(root)", f"no Route53 zone for {missing}")
        return v.done("")
    exact, under = _wanted(g)
    wanted = exact or (f"at or under {under}" if under else "in a hosted zone of this root")
    fronts = server_fronts(g)
    found = False
    unseen = []
    for rec in g.of_type("aws_route53_record"):
        alias = first_block(g, rec, "alias")
        if is_unknown(alias):
            v.defer(rec, f"its alias block: {show(alias)}")
            continue
        if not alias or g.value(rec, "type") not in types:
            continue
        target = alias.get("name")
        pointed = g.targets(target, *LB_TYPES)  # by reference, or by its DNS name
        if pointed is None and g.targets(target):
            continue  # followed to another kind of resource (CloudFront, a bucket)
        if not pointed and not is_unknown(target):
            continue  # a DNS name of no load balancer of this root
        name = g.value(rec, "name")
        zone, zone_name = record_zone(g, rec)
        full = fqdn(name, zone_name) if isinstance(name, str) else None
        if zone is None and full is not None and not any(_fits(full, None, z) for z in zones):
            full = None  # a name relative to a zone that cannot be followed
        if full is not None and not _fits(full, exact, under):
            v.na(rec, f"{full}: not the name the server answers at ({wanted})")
            continue
        if pointed and all(fronts.excludes(lb) for lb in pointed):
            v.na(rec, "an alias to a load balancer that does not front the FDK server")
            continue
        unknowns = []
        if not isinstance(name, str):
            unknowns.append(f"its name {show(name)}")
        if zone is None:
            unknowns.append(f"its zone ({show(g.value(rec, 'zone_id'))})")
        if pointed is None:
            unknowns.append(f"its alias target {show(target)}")
        problems = []
        if zone is not None and zone_name not in zones:
            problems.append("not in a hosted zone of this root")
        if unknowns and not problems:
            unseen.append((rec, unknowns))  # judged only if no record is seen to serve it
            continue
        found = True
        v.judge(rec, problems, [], f"{full} -> the FDK server's load balancer (alias)")
    if not found and unseen:
        for rec, unknowns in unseen:
            v.judge(rec, [], unknowns, "")
    elif not found:
        v.fail(
            next(iter(zones.values())),
            f"no A/AAAA alias record {wanted} to the FDK server's load balancer",
        )
    return v.done("")
