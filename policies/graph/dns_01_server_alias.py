"""FDK-DNS-01: a Route53 zone for dns_name; the server answers at <host>.<dns_name>, or at
dns_name when host is empty, as an alias to the ALB."""

from ._lib import LB_TYPES, Verdicts

CONTROL = "FDK-DNS-01"


def check(g):
    v = Verdicts(CONTROL)
    domain, host = g.var("dns_name"), g.var("host", "")
    if not isinstance(domain, str):
        v.defer("(root)", "no dns_name variable: checked after deploy")
        return v.done()
    domain = domain.rstrip(".")
    fqdn = f"{host}.{domain}" if host else domain
    zones = [z for z in g.of_type("aws_route53_zone") if str(z.get("name")).rstrip(".") == domain]
    if not zones:
        v.fail("(root)", f"no Route53 zone for {domain}")
        return v.done()
    recs = [
        r for r in g.of_type("aws_route53_record")
        if isinstance(r.get("name"), str) and r.get("name").rstrip(".") in (fqdn, host)
        and r.get("type") in ("A", "AAAA")
    ]  # fmt: skip
    if not recs:
        v.fail(zones[0], f"no A/AAAA record {fqdn}")
    for r in recs:
        targets = g.ref_resources(r, "alias", 0, "name")
        problems, unknowns = [], []
        if targets is None:
            unknowns.append("alias target cannot be followed")
        elif not any(t.type in LB_TYPES for t in targets):
            problems.append(f"not an alias to the ALB (targets {[t.address for t in targets]})")
        zone_refs = g.refs(r, "zone_id") or set()
        if not zone_refs & {z.address for z in zones}:
            problems.append(f"not in the zone for {domain}")
        v.judge(r, problems, unknowns, f"{fqdn} -> ALB alias")
    return v.done()
