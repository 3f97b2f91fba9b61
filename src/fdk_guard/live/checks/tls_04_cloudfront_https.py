from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok

CONTROL = "FDK-TLS-04"


@check(
    CONTROL,
    "CloudFront redirects viewers to HTTPS, TLSv1.2_2021 or newer, ACM certificate",
    optional=True,
)
def cloudfront_viewer_https(snap):
    p = params(CONTROL)
    for dist in snap.distributions:
        config = dist["DistributionConfig"]
        behaviors = [config.get("DefaultCacheBehavior", {})] + (
            config.get("CacheBehaviors", {}).get("Items") or []
        )
        policies = {b.get("ViewerProtocolPolicy") for b in behaviors}
        cert = config.get("ViewerCertificate") or {}
        if policies - set(p["viewer_protocol_policies"]):
            yield bad(dist["Id"], f"viewer protocol policies {sorted(policies)} allow plain HTTP")
        elif cert.get("MinimumProtocolVersion") not in p["minimum_protocol_versions"]:
            yield bad(
                dist["Id"],
                f"minimum protocol {cert.get('MinimumProtocolVersion')}, "
                f"expected one of {p['minimum_protocol_versions']}",
            )
        elif not cert.get("ACMCertificateArn"):
            yield bad(dist["Id"], "aliases not served with an ACM certificate")
        else:
            yield ok(dist["Id"], f"HTTPS only, {cert['MinimumProtocolVersion']}, ACM certificate")
