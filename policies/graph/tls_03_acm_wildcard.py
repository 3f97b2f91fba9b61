"""FDK-TLS-03: the ACM certificate is a wildcard for dns_name, DNS-validated through
records in the hosted zone.

A certificate's aws_acm_certificate_validation is judged too: it passes when the records it
waits for are followed into the zone (their names are known only after apply, which
terraform-compliance's scenario cannot see and defers)."""

from ._lib import Verdicts, as_list, domains, is_unknown, params, show

CONTROL = "FDK-TLS-03"
ZONE_TYPES = ("aws_route53_zone",)


def _in_zone(g, record) -> bool | None:
    zone = g.value(record, "zone_id")
    hits = g.targets(zone, *ZONE_TYPES)
    if hits is None or zone is None:
        return None
    return bool(hits)


def _validation_records(g, cert) -> tuple[list, list[str], list]:
    """Route53 records validating `cert` (through aws_acm_certificate_validation, or
    records built from its domain_validation_options), reasons for those unseen, and the
    records each validation resource waits for (None: cannot be followed)."""
    records, unknowns, waits = [], [], []
    for val in g.of_type("aws_acm_certificate_validation"):
        hits = g.targets(g.value(val, "certificate_arn"), "aws_acm_certificate")
        if not hits or hits[0].address != cert.address:
            continue
        fqdns = g.value(val, "validation_record_fqdns")
        found = g.targets(fqdns, "aws_route53_record")
        waits.append((val, found))
        if found is None:
            unknowns.append(f"the records {val.address} waits for ({show(fqdns)})")
        records += found or []
    for rec in g.of_type("aws_route53_record"):
        name = g.value(rec, "name")
        if is_unknown(name):
            source = {name.ref[0]} if name.ref else set(name.deps)
            if cert.address in source and rec not in records:
                records.append(rec)
    return records, unknowns, waits


def check(g):
    v = Verdicts(CONTROL)
    method = params(CONTROL)["validation_method"]
    names = domains(g)
    for cert in g.of_type("aws_acm_certificate"):
        problems, unknowns = [], []
        sans = [cert.values.get("domain_name")] + as_list(
            g.value(cert, "subject_alternative_names")
        )
        if any(is_unknown(n) for n in sans):
            unknowns.append("the certificate's names")
        elif not names:
            unknowns.append("no application domain (dns_name or a zone) to compare with")
        elif not any(f"*.{d}" in sans for d in names):
            problems.append(f"names {sans} include no wildcard *.{' or *.'.join(sorted(names))}")
        if g.value(cert, "validation_method") != method:
            problems.append(f"validation_method = {g.value(cert, 'validation_method')!r}")
        records, lost, waits = _validation_records(g, cert)
        unknowns += lost
        if not records and not lost:
            problems.append("no Route53 record validates it")
        for rec in records:
            inside = _in_zone(g, rec)
            if inside is None:
                unknowns.append(f"the zone of {rec.address}")
            elif not inside:
                problems.append(f"{rec.address} is not in a hosted zone of this root")
        v.judge(
            cert, problems, unknowns, f"wildcard for {sorted(names)}, DNS-validated in the zone"
        )
        for val, found in waits:  # the validation resource: what it waits for
            if found is None:
                v.defer(val, f"cannot follow the records it waits for, validating {cert.address}")
            elif found and all(_in_zone(g, rec) for rec in found):
                waited = sorted(rec.address for rec in found)
                v.ok(val, f"waits for the validation records {waited} of {cert.address}")
    return v.done("no ACM certificate in this root")
