"""FDK-TLS-04: CloudFront viewers are redirected to HTTPS; minimum protocol TLSv1.2_2021;
aliases served with an ACM certificate."""

from ._lib import Verdicts

CONTROL = "FDK-TLS-04"
MIN_TLS = ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")


def check(g):
    v = Verdicts(CONTROL)
    dists = g.of_type("aws_cloudfront_distribution")
    if not dists:
        v.na("(root)", "no CloudFront distribution (wasm_clients empty)")
    for d in dists:
        problems, unknowns = [], []
        behaviors = d.block("default_cache_behavior") + d.block("ordered_cache_behavior")
        for b in behaviors:
            vpp = b.get("viewer_protocol_policy")
            if vpp not in ("redirect-to-https", "https-only"):
                problems.append(
                    f"viewer_protocol_policy = {vpp!r} on {b.get('path_pattern', 'default')}"
                )
        vc = (d.block("viewer_certificate") or [{}])[0]
        if vc.get("minimum_protocol_version") not in MIN_TLS:
            problems.append(f"minimum_protocol_version = {vc.get('minimum_protocol_version')!r}")
        if d.known("aliases", default=[]):
            certs = g.ref_resources(d, "viewer_certificate", 0, "acm_certificate_arn")
            if vc.get("cloudfront_default_certificate") is True:
                problems.append("aliases served with the default CloudFront certificate")
            elif certs is None:
                unknowns.append("acm_certificate_arn cannot be followed")
            elif not any(c.type.startswith("aws_acm_certificate") for c in certs):
                arn = vc.get("acm_certificate_arn")
                if not (isinstance(arn, str) and ":acm:us-east-1:" in arn):
                    problems.append(f"aliases without an ACM certificate ({arn!r})")
        v.judge(d, problems, unknowns, "HTTPS only, TLSv1.2_2021+, ACM certificate")
    return v.done()
