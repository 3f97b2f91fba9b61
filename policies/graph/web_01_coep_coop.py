"""FDK-WEB-01: the distribution's default behavior attaches a response headers policy that
sends Cross-Origin-Embedder-Policy: require-corp and Cross-Origin-Opener-Policy: same-origin.

The distribution is the WASM frontend's: one with an S3 origin. Another (CloudFront in front
of the API, with no S3 origin) and a response headers policy no WASM distribution attaches
are not held to it.
"""

from ._lib import (
    Verdicts,
    as_list,
    first_block,
    is_unknown,
    origin_buckets,
    params,
    show,
    wasm_sites,
)

CONTROL = "FDK-WEB-01"
POLICY = "aws_cloudfront_response_headers_policy"


def _headers(g, policy) -> dict:
    out = {}
    for cfg in as_list(g.value(policy, "custom_headers_config")):
        items = cfg.get("items") if isinstance(cfg, dict) else None
        if is_unknown(items):
            return {"?": items}
        for item in as_list(items):
            if isinstance(item, dict):
                out[str(item.get("header")).lower()] = item.get("value")
    return out


def _no_s3_origin(g, dist) -> bool:
    """Every origin of `dist` is seen, and none is an S3 bucket, of this root or another
    (an API behind CloudFront)."""
    origins = g.value(dist, "origin")
    if is_unknown(origins) or not as_list(origins):
        return False
    pairs, unseen = origin_buckets(g, dist)
    if pairs or unseen:
        return False
    for origin in as_list(origins):
        if not isinstance(origin, dict):
            return False
        domain = origin.get("domain_name")
        # an S3 domain name is an origin_buckets() pair or unseen: judged above
        if as_list(origin.get("s3_origin_config")) or not isinstance(domain, str):
            return False
    return True


def check(g):
    v = Verdicts(CONTROL)
    want = params(CONTROL)["headers"]
    _, sites = wasm_sites(g)
    attached, every_policy_seen = set(), True
    for dist in g.of_type("aws_cloudfront_distribution"):
        if dist.address not in sites and _no_s3_origin(g, dist):
            v.na(dist, "not the WASM frontend: no S3 origin")
            continue
        behavior = first_block(g, dist, "default_cache_behavior")
        if is_unknown(behavior):
            every_policy_seen = False
            v.defer(dist, f"its default cache behavior: {show(behavior)}")
            continue
        value = behavior.get("response_headers_policy_id")
        if value in (None, ""):
            v.fail(dist, "its default behavior attaches no response headers policy")
            continue
        policies = g.targets(value, POLICY)
        attached |= {pol.address for pol in policies or []}
        if policies is None:
            every_policy_seen = False
            what = (
                f"managed or external policy {value!r}" if isinstance(value, str) else show(value)
            )
            v.defer(dist, f"the response headers policy cannot be read before apply: {what}")
            continue
        problems, unknowns = [], []
        for pol in policies:
            headers = _headers(g, pol)
            if "?" in headers:
                unknowns.append(f"the headers of {pol.address}")
                continue
            for name, expected in want.items():
                got = headers.get(name.lower())
                if is_unknown(got):
                    unknowns.append(f"{name} in {pol.address}")
                elif got != expected:
                    problems.append(f"{pol.address} sends {name}: {got!r}, not {expected!r}")
        v.judge(dist, problems, unknowns, f"COEP/COOP from {[p.address for p in policies]}")
    if every_policy_seen:  # what checkov and terraform-compliance judge one policy at a time
        for pol in g.of_type(POLICY):
            if pol.address not in attached:
                v.na(pol, "no WASM frontend's distribution attaches it")
    return v.done("no CloudFront distribution in this root")
