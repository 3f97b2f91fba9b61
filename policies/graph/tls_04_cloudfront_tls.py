"""FDK-TLS-04: CloudFront viewers are redirected to HTTPS; minimum protocol TLSv1.2_2021 or
stricter; aliases served with an ACM certificate."""

from ._lib import Verdicts, as_list, first_block, is_unknown, params, show

CONTROL = "FDK-TLS-04"


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    for dist in g.of_type("aws_cloudfront_distribution"):
        problems, unknowns = [], []
        behaviors = as_list(g.value(dist, "default_cache_behavior")) + as_list(
            g.value(dist, "ordered_cache_behavior")
        )
        for b in behaviors:
            policy = b.get("viewer_protocol_policy") if isinstance(b, dict) else None
            if is_unknown(policy):
                unknowns.append(f"viewer_protocol_policy = {show(policy)}")
            elif policy not in p["viewer_protocol_policies"]:
                problems.append(f"viewer_protocol_policy = {policy!r}")
        cert = first_block(g, dist, "viewer_certificate")
        if is_unknown(cert):
            v.defer(dist, f"its viewer certificate: {show(cert)}")
            continue
        aliases = as_list(g.value(dist, "aliases"))
        if cert.get("cloudfront_default_certificate") is True:
            problems.append("the default *.cloudfront.net certificate: minimum protocol TLSv1")
        version = cert.get("minimum_protocol_version")
        if is_unknown(version):
            unknowns.append(f"minimum_protocol_version = {show(version)}")
        elif version not in p["minimum_protocol_versions"]:
            problems.append(f"minimum_protocol_version = {version!r}")
        acm = cert.get("acm_certificate_arn")
        if aliases and acm is None:
            problems.append(f"aliases {aliases} without an ACM certificate")
        elif isinstance(acm, str) and ":acm:" not in acm:
            problems.append(f"certificate {acm!r} is not an ACM certificate")
        elif acm is not None and not isinstance(acm, str):
            if g.targets(acm, "aws_acm_certificate", "aws_acm_certificate_validation") is None:
                unknowns.append(f"acm_certificate_arn cannot be followed ({show(acm)})")
        v.judge(dist, problems, unknowns, f"HTTPS only, {version}, ACM certificate")
    return v.done("no CloudFront distribution in this root")
