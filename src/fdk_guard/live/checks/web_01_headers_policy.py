from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok

CONTROL = "FDK-WEB-01"


@check(
    CONTROL,
    "the default behavior's headers policy sets COEP require-corp and COOP same-origin",
    optional=True,
)
def cloudfront_coep_coop(snap):
    # header names are case-insensitive (RFC 9110); the values are compared exactly
    required = {h.lower(): v for h, v in params(CONTROL)["headers"].items()}
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
        wrong = {h: found.get(h) for h, v in required.items() if found.get(h) != v}
        if wrong:
            yield bad(dist["Id"], f"policy {pid}: expected {required}, found {wrong}")
        else:
            yield ok(dist["Id"], f"policy {pid} sets {required}")
