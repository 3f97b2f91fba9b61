from fdk_guard.live.checks import bad, check, ok

REQUIRED = {
    "cross-origin-embedder-policy": "require-corp",
    "cross-origin-opener-policy": "same-origin",
}


@check(
    "FDK-WEB-01",
    "the default behavior's headers policy sets COEP require-corp and COOP same-origin",
    optional=True,
)
def cloudfront_coep_coop(snap):
    for dist in snap.distributions:
        pid = (
            dist["DistributionConfig"]
            .get("DefaultCacheBehavior", {})
            .get("ResponseHeadersPolicyId")
        )
        if not pid:
            yield bad(dist["Id"], "default behavior has no response headers policy")
            continue
        policy = snap.headers_policies.get(pid)
        if policy is None:
            yield bad(dist["Id"], f"response headers policy {pid} not found")
            continue
        items = (policy.get("CustomHeadersConfig") or {}).get("Items") or []
        found = {h["Header"].lower(): h.get("Value", "") for h in items}
        wrong = {h: found.get(h) for h, v in REQUIRED.items() if found.get(h) != v}
        if wrong:
            yield bad(dist["Id"], f"policy {pid}: expected {REQUIRED}, found {wrong}")
        else:
            yield ok(dist["Id"], f"policy {pid} sets COEP require-corp and COOP same-origin")
