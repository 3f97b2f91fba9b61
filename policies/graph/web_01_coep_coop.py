"""FDK-WEB-01: the distribution's default behavior attaches a response headers policy that
sends Cross-Origin-Embedder-Policy: require-corp and Cross-Origin-Opener-Policy: same-origin."""

from ._lib import Verdicts, as_list, first_block, is_unknown, params, show

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


def check(g):
    v = Verdicts(CONTROL)
    want = params(CONTROL)["headers"]
    for dist in g.of_type("aws_cloudfront_distribution"):
        behavior = first_block(g, dist, "default_cache_behavior")
        if is_unknown(behavior):
            v.defer(dist, f"its default cache behavior: {show(behavior)}")
            continue
        value = behavior.get("response_headers_policy_id")
        if value in (None, ""):
            v.fail(dist, "its default behavior attaches no response headers policy")
            continue
        policies = g.targets(value, POLICY)
        if policies is None:
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
    return v.done("no CloudFront distribution in this root")
