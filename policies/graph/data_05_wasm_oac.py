"""FDK-DATA-05: the WASM bucket is readable only by its CloudFront distribution (origin
access control + a bucket policy scoped to that distribution)."""

from fdk_guard.plangraph import Resource, is_unknown
from fdk_guard.plangraph.iam import statements

from ._lib import Verdicts
from ._wasm import origin_buckets

CONTROL = "FDK-DATA-05"
CF = "cloudfront.amazonaws.com"


def _policy_problems(g, bucket, dist):
    problems, unknowns = [], []
    policies = [
        p
        for p in g.of_type("aws_s3_bucket_policy")
        if bucket.address in (g.refs(p, "bucket") or set())
    ]
    if not policies:
        return [f"no bucket policy on {bucket.address}"], []
    for pol in policies:
        sts = statements(g, pol)
        if sts is None:
            unknowns.append(f"policy of {pol.address}")
            continue
        scoped = False
        for st in (s for s in sts if s.allows):
            if is_unknown(st.principals):
                unknowns.append(f"principals in {st.source}")
                continue
            others = [p for p in st.principals if p != ("Service", CF)]
            if others or not st.principals:
                problems.append(f"{pol.address} allows {others or 'any principal'}")
                continue
            src = [vals for (_t, var, vals) in st.conditions if str(var).lower() == "aws:sourcearn"]
            if not src:
                problems.append(f"{pol.address}: CloudFront read not scoped by AWS:SourceArn")
                continue
            for vals in src:
                for val in vals:
                    if isinstance(val, Resource):
                        scoped |= val.address == dist.address
                        if val.address != dist.address:
                            problems.append(f"{pol.address}: scoped to {val.address}")
                    elif is_unknown(val):
                        unknowns.append(f"AWS:SourceArn in {pol.address}")
                    elif isinstance(val, str) and "*" in val:
                        problems.append(f"{pol.address}: AWS:SourceArn {val!r} is a wildcard")
                    else:
                        scoped = True
        if not scoped and not unknowns and not problems:
            problems.append(f"{pol.address}: no statement scoped to {dist.address}")
    return problems, unknowns


def check(g):
    v = Verdicts(CONTROL)
    dists = g.of_type("aws_cloudfront_distribution")
    if not dists:
        v.na("(root)", "no CloudFront distribution (wasm_clients empty)")
        return v.done()
    for dist in dists:
        problems, unknowns = [], []
        buckets = origin_buckets(g, dist)
        if buckets is None:
            v.defer(dist, "its origin cannot be followed to a bucket")
            continue
        for i, origin in enumerate(dist.block("origin")):
            oac = g.ref_resources(dist, "origin", i, "origin_access_control_id") or []
            oac = [r for r in oac if r.type == "aws_cloudfront_origin_access_control"]
            if not oac:
                problems.append(f"origin {origin.get('origin_id')!r} has no origin access control")
            for o in oac:
                if (
                    o.get("signing_behavior") != "always"
                    or o.get("origin_access_control_origin_type") != "s3"
                ):
                    problems.append(f"{o.address}: signing {o.get('signing_behavior')!r}")
        for b in buckets:
            p, u = _policy_problems(g, b, dist)
            problems += p
            unknowns += u
        v.judge(
            dist, problems, unknowns, f"buckets {[b.address for b in buckets]} read via OAC only"
        )
    return v.done()
