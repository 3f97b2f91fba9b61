"""FDK-TLS-03: the ACM certificate is a wildcard for dns_name, DNS-validated through
records in the hosted zone."""

from ._lib import Verdicts

CONTROL = "FDK-TLS-03"


def check(g):
    v = Verdicts(CONTROL)
    domain = g.var("dns_name")
    domain = domain.rstrip(".") if isinstance(domain, str) else None
    validations = g.of_type("aws_acm_certificate_validation")
    for cert in g.of_type("aws_acm_certificate"):
        problems, unknowns = [], []
        names = [cert.get("domain_name")] + list(
            cert.known("subject_alternative_names", default=[])
        )
        if domain is None:
            unknowns.append("no dns_name variable to compare with")
        elif f"*.{domain}" not in names:
            problems.append(f"names {names} do not include *.{domain}")
        if cert.get("validation_method") != "DNS":
            problems.append(f"validation_method = {cert.get('validation_method')!r}")
        mine = [x for x in validations if cert.address in (g.refs(x, "certificate_arn") or set())]
        if not mine:
            problems.append("no aws_acm_certificate_validation waits for it")
        for val in mine:
            records = [
                r
                for r in g.ref_resources(val, "validation_record_fqdns") or []
                if r.type == "aws_route53_record"
            ]
            if not records:
                problems.append(f"{val.address} is not fed by Route53 validation records")
            for rec in records:
                zones = [
                    z for z in g.ref_resources(rec, "zone_id") or [] if z.type == "aws_route53_zone"
                ]
                if not zones:
                    problems.append(f"{rec.address} is not in a hosted zone of this root")
        v.judge(cert, problems, unknowns, f"wildcard *.{domain}, DNS-validated in the zone")
    return v.done("no ACM certificate in the plan")
