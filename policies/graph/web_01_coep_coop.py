"""FDK-WEB-01: the distribution's default behavior attaches a response headers policy with
Cross-Origin-Embedder-Policy: require-corp and Cross-Origin-Opener-Policy: same-origin."""

from ._lib import Verdicts

CONTROL = "FDK-WEB-01"
WANT = {"cross-origin-embedder-policy": "require-corp", "cross-origin-opener-policy": "same-origin"}


def check(g):
    v = Verdicts(CONTROL)
    dists = g.of_type("aws_cloudfront_distribution")
    if not dists:
        v.na("(root)", "no CloudFront distribution (wasm_clients empty)")
    for d in dists:
        refs = g.ref_resources(d, "default_cache_behavior", 0, "response_headers_policy_id")
        policies = [r for r in refs or [] if r.type == "aws_cloudfront_response_headers_policy"]
        if refs is None:
            v.defer(d, "response_headers_policy_id cannot be followed")
            continue
        if not policies:
            pid = d.get("default_cache_behavior", 0, "response_headers_policy_id")
            v.fail(d, f"default behavior has no COEP/COOP response headers policy ({pid!r})")
            continue
        for pol in policies:
            got = {}
            for cfg in pol.block("custom_headers_config"):
                for item in cfg.get("items") or []:
                    got[str(item.get("header", "")).lower()] = (
                        item.get("value"),
                        item.get("override"),
                    )
            problems = [
                f"{h} = {got.get(h, (None,))[0]!r}, want {want!r}"
                for h, want in WANT.items()
                if got.get(h, (None,))[0] != want
            ]
            v.judge(
                pol, problems, [], "COEP require-corp and COOP same-origin on the default behavior"
            )
    return v.done()
