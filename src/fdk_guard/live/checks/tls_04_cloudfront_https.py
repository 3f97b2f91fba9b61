from fdk_guard.live.checks import bad, check, ok

MIN_PROTOCOL = "TLSv1.2_2021"


@check(
    "FDK-TLS-04",
    "CloudFront redirects viewers to HTTPS, TLSv1.2_2021, ACM certificate",
    optional=True,
)
def cloudfront_viewer_https(snap):
    for dist in snap.distributions:
        config = dist["DistributionConfig"]
        behaviors = [config.get("DefaultCacheBehavior", {})] + (
            config.get("CacheBehaviors", {}).get("Items") or []
        )
        policies = {b.get("ViewerProtocolPolicy") for b in behaviors}
        cert = config.get("ViewerCertificate") or {}
        if policies - {"redirect-to-https", "https-only"}:
            yield bad(dist["Id"], f"viewer protocol policies {sorted(policies)} allow plain HTTP")
        elif cert.get("MinimumProtocolVersion") != MIN_PROTOCOL:
            yield bad(
                dist["Id"],
                f"minimum protocol {cert.get('MinimumProtocolVersion')}, expected {MIN_PROTOCOL}",
            )
        elif not cert.get("ACMCertificateArn"):
            yield bad(dist["Id"], "aliases not served with an ACM certificate")
        else:
            yield ok(dist["Id"], f"HTTPS only, {MIN_PROTOCOL}, ACM certificate")
