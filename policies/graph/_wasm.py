"""The WASM bucket: the S3 origin of a CloudFront distribution, or the bucket the CI user
writes when there is no distribution."""

from __future__ import annotations

from fdk_guard.plangraph import PlanGraph, Resource


def origin_buckets(g: PlanGraph, dist: Resource) -> list[Resource] | None:
    out = []
    for i, _ in enumerate(dist.block("origin")):
        refs = g.ref_resources(dist, "origin", i, "domain_name")
        if refs is None:
            return None
        out += [r for r in refs if r.type == "aws_s3_bucket"]
    return out


def wasm_buckets(g: PlanGraph) -> list[Resource]:
    found: dict[str, Resource] = {}
    for dist in g.of_type("aws_cloudfront_distribution"):
        for b in origin_buckets(g, dist) or []:
            found[b.address] = b
    if not found:
        for cors in g.of_type("aws_s3_bucket_cors_configuration"):
            for b in g.ref_resources(cors, "bucket") or []:
                found[b.address] = b
    if not found:
        buckets = g.of_type("aws_s3_bucket")
        if len(buckets) == 1:
            found[buckets[0].address] = buckets[0]
    return list(found.values())
