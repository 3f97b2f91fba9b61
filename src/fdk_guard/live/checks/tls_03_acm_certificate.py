from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok

CONTROL = "FDK-TLS-03"


@check(CONTROL, "ACM certificates are DNS-validated wildcards for dns_name, validated in the zone")
def acm_wildcard_dns_validated(snap):
    domain = snap.scope.dns_name
    method = params(CONTROL)["validation_method"]
    record_names = {
        r["Name"].rstrip(".").lower() for records in snap.records.values() for r in records
    }
    for arn, cert in sorted(snap.certificates.items()):
        names = {cert.get("DomainName", "")} | set(cert.get("SubjectAlternativeNames", []))
        options = cert.get("DomainValidationOptions", [])
        methods = {o.get("ValidationMethod") for o in options}
        missing = sorted(
            o["ResourceRecord"]["Name"]
            for o in options
            if o.get("ResourceRecord")
            and o["ResourceRecord"]["Name"].rstrip(".").lower() not in record_names
        )
        if domain and f"*.{domain}" not in names:
            yield bad(arn, f"names {sorted(names)} lack the wildcard *.{domain}")
        elif methods != {method}:
            yield bad(arn, f"validation method {sorted(filter(None, methods))}, not {method}")
        elif cert.get("Status") != "ISSUED":
            yield bad(arn, f"status {cert.get('Status')}, not ISSUED")
        elif missing:
            yield bad(arn, f"validation record(s) missing from the zone: {missing}")
        else:
            yield ok(arn, f"{cert.get('DomainName')} issued, DNS-validated")
