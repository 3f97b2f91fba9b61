from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import allows, as_list

CONTROL = "FDK-DATA-05"


def _scoped_to(stmt: dict, dist_arns: set[str]) -> bool:
    cond = stmt.get("Condition") or {}
    values = {
        v
        for op in ("StringEquals", "ArnEquals", "ArnLike", "StringLike")
        for key, val in (cond.get(op) or {}).items()
        if key.lower() == "aws:sourcearn"
        for v in as_list(val)
    }
    return bool(values) and values <= dist_arns


@check(CONTROL, "the WASM bucket is readable only by its CloudFront distribution", optional=True)
def wasm_bucket_only_via_distribution(snap):
    if not snap.distributions:
        return
    principal_wanted = params(CONTROL)["cloudfront_principal"]
    dist_arns = {d["ARN"] for d in snap.distributions}
    for name, bucket in sorted(snap.buckets.items()):
        origins = [
            o
            for d in snap.distributions
            for o in d["DistributionConfig"].get("Origins", {}).get("Items", [])
            if o.get("DomainName", "").startswith(f"{name}.s3")
        ]
        if not origins:
            continue
        wrong = []
        for stmt in allows(bucket.get("policy") or {}):
            principal = stmt.get("Principal")
            services = as_list(principal.get("Service")) if isinstance(principal, dict) else []
            if services != [principal_wanted]:
                wrong.append(f"grants to {principal}")
            elif not _scoped_to(stmt, dist_arns):
                wrong.append("CloudFront grant not bound to the distribution's AWS:SourceArn")
        if not bucket.get("policy"):
            yield bad(name, "no bucket policy granting the distribution read access")
        elif wrong:
            yield bad(name, "; ".join(wrong))
        elif not all(o.get("OriginAccessControlId") for o in origins):
            yield bad(name, "distribution reads the bucket without an origin access control")
        else:
            yield ok(name, "read only by its distribution through origin access control")
