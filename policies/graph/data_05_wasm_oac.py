"""FDK-DATA-05: the WASM bucket is readable only by its CloudFront distribution (origin
access control + a bucket policy scoped to that distribution)."""

import re

from fdk_guard.plangraph.iam import from_document

from ._lib import (
    S3_DOMAIN,
    Verdicts,
    as_list,
    for_bucket,
    is_unknown,
    origin_buckets,
    params,
    show,
    why,
)

CONTROL = "FDK-DATA-05"


def _oac(g, dist, origin, p) -> tuple[list[str], list[str]]:
    value = origin.get("origin_access_control_id")
    oacs = g.targets(value, "aws_cloudfront_origin_access_control")
    name = origin.get("origin_id")
    if value in (None, ""):
        return [f"origin {name!r} has no origin access control"], []
    if oacs is None:
        return [], [f"the origin access control of {name!r} ({show(value)})"]
    problems, unknowns = [], []
    for o in oacs:
        signing, kind = (
            g.value(o, "signing_behavior"),
            g.value(o, "origin_access_control_origin_type"),
        )
        if is_unknown(signing) or is_unknown(kind):
            unknowns.append(f"the settings of {o.address}")
        elif signing != p["signing_behavior"] or kind != "s3":
            problems.append(f"{o.address}: signing {signing!r} for {kind!r}")
    return problems, unknowns


def _scoped(g, dist, value) -> bool | None:
    """Is an AWS:SourceArn value this distribution's ARN? None when it cannot tell."""
    if isinstance(value, str):
        if "*" in value or "?" in value:
            return False
        arn = g.value(dist, "arn")
        return value == arn if isinstance(arn, str) else None
    hits = g.targets(value, "aws_cloudfront_distribution")
    if hits is None:
        return None
    return any(h.address == dist.address for h in hits)


def _policy(g, bucket, dist, policies, p) -> tuple[list[str], list[str]]:
    if not policies:
        return [f"no bucket policy on {bucket.address}"], []
    problems, unknowns, scoped = [], [], False
    for pol in policies:
        sts = from_document(g.document(pol, "policy"), pol.address)
        if sts is None:
            unknowns.append(f"the policy of {pol.address} ({why(g.value(pol, 'policy'))})")
            continue
        for st in (s for s in sts if s.allows):
            if is_unknown(st.principals):
                unknowns.append(f"the principals of a statement in {pol.address}")
                continue
            others = [
                pid
                for ptype, pid in st.principals
                if (ptype, pid) != ("Service", p["cloudfront_principal"])
            ]
            if others or not st.principals:
                problems.append(f"{pol.address} allows {others or 'any principal'}")
                continue
            source = [
                (t, vals) for (t, var, vals) in st.conditions if var.lower() == "aws:sourcearn"
            ]
            loose = [f"{t} {vals}" for t, vals in source if not re.match(p["scoping"], t)]
            if loose:
                problems.append(f"{pol.address}: AWS:SourceArn {'; '.join(loose)} does not scope")
                continue
            values = [vals for _t, vals in source]
            if not values:
                problems.append(f"{pol.address}: CloudFront's read is not scoped by AWS:SourceArn")
                continue
            for vals in values:
                for val in vals:
                    ok = _scoped(g, dist, val)
                    if ok is None:
                        unknowns.append(f"AWS:SourceArn {show(val)} in {pol.address}")
                    elif ok:
                        scoped = True
                    else:
                        problems.append(
                            f"{pol.address}: AWS:SourceArn {show(val)} is not {dist.address}"
                        )
    if not scoped and not problems and not unknowns:
        problems.append(f"no statement of the bucket policy lets {dist.address} read")
    return problems, unknowns


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    policies, lost = for_bucket(g, "aws_s3_bucket_policy")
    acls, _ = for_bucket(g, "aws_s3_bucket_acl")
    for dist in g.of_type("aws_cloudfront_distribution"):
        pairs, unseen = origin_buckets(g, dist)
        if not pairs and not unseen:
            continue  # no S3 origin: not a WASM site
        problems, unknowns = [], list(unseen)
        paired = {o.get("origin_id") for o, _ in pairs}
        for origin in as_list(g.value(dist, "origin")):  # a bucket of another root still
            domain = origin.get("domain_name") if isinstance(origin, dict) else None
            named = isinstance(domain, str) and S3_DOMAIN.match(domain)
            if named and origin.get("origin_id") not in paired:
                problems += _oac(g, dist, origin, p)[0]  # needs the distribution's OAC
        for origin, bucket in pairs:
            pr, un = _oac(g, dist, origin, p)
            problems += pr
            unknowns += un
            mine = policies.get(bucket.address, [])
            if not mine and lost:
                unknowns.append(f"the bucket of {lost[0].address} cannot be followed")
                continue
            pr, un = _policy(g, bucket, dist, mine, p)
            problems += pr
            unknowns += un
            for acl in acls.get(bucket.address, []):  # an ACL can open it beside the policy
                canned = g.value(acl, "acl")
                if is_unknown(canned):
                    unknowns.append(f"the ACL of {acl.address}")
                elif canned in p["public_acls"]:
                    problems.append(f"{acl.address}: ACL {canned!r} lets others read")
        names = [b.address for _, b in pairs]
        v.judge(dist, problems, unknowns, f"{names} readable only by {dist.address} through OAC")
    return v.done("no CloudFront distribution with an S3 origin in this root")
