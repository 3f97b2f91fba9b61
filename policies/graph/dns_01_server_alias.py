"""FDK-DNS-01: a Route53 zone for dns_name; the server answers at <host>.<dns_name>, or at
dns_name when host is empty, as an alias to the ALB."""

from ._lib import LB_TYPES, Verdicts, domains, first_block, is_unknown, params, show

CONTROL = "FDK-DNS-01"


def _zone_names(g) -> dict[str, object]:
    return {
        str(z.values.get("name")).rstrip(".").lower(): z
        for z in g.of_type("aws_route53_zone")
        if isinstance(z.values.get("name"), str)
    }


def check(g):
    v = Verdicts(CONTROL)
    types = params(CONTROL)["record_types"]
    lbs = g.of_type(*LB_TYPES)
    zones = _zone_names(g)
    if not lbs:
        return v.done("no load balancer in this root: no server address to publish")
    if not zones and not isinstance(g.var("dns_name"), str):
        return v.done("no Route53 zone and no dns_name in this root: DNS is managed elsewhere")
    names = domains(g)
    missing = sorted(n for n in names if n not in zones)
    if missing:
        v.fail("(root)", f"no Route53 zone for {missing}")
        return v.done("")
    host = g.var("host")
    wanted = None
    if isinstance(g.var("dns_name"), str):
        domain = g.var("dns_name").rstrip(".").lower()
        wanted = f"{host}.{domain}" if host else domain
    found = False
    for rec in g.of_type("aws_route53_record"):
        alias = first_block(g, rec, "alias")
        if is_unknown(alias):
            v.defer(rec, f"its alias block: {show(alias)}")
            continue
        if not alias:
            continue
        targets = g.targets(alias.get("name"), *LB_TYPES)
        name = g.value(rec, "name")
        kind = g.value(rec, "type")
        if not targets or kind not in types:
            if (
                targets is None
                and is_unknown(alias.get("name"))
                and wanted
                and str(name).rstrip(".").lower() == wanted
            ):
                v.defer(rec, f"the alias target of {wanted}: {show(alias.get('name'))}")
                found = True
            continue
        found = True
        problems, unknowns = [], []
        if is_unknown(name):
            unknowns.append(f"the record name {show(name)}")
        elif wanted and str(name).rstrip(".").lower() not in (wanted, host):
            problems.append(f"named {name!r}, not {wanted}")
        zone = g.targets(g.value(rec, "zone_id"), "aws_route53_zone")
        if zone is None:
            unknowns.append(f"its zone ({show(g.value(rec, 'zone_id'))})")
        elif not any(str(z.values.get("name")).rstrip(".").lower() in zones for z in zone):
            problems.append("not in a hosted zone of this root")
        v.judge(rec, problems, unknowns, f"{name} -> ALB alias")
    if not found:
        v.fail(
            next(iter(zones.values())),
            f"no A/AAAA alias record to the load balancer{' named ' + wanted if wanted else ''}",
        )
    return v.done("")
