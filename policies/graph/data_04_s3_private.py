"""FDK-DATA-04: S3 buckets: all four public-access blocks on, server-side encryption on."""

from ._lib import Verdicts

CONTROL = "FDK-DATA-04"
BLOCKS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)


def _for_bucket(g, bucket, type_):
    return [r for r in g.of_type(type_) if bucket.address in (g.refs(r, "bucket") or set())]


def check(g):
    v = Verdicts(CONTROL)
    for b in g.of_type("aws_s3_bucket"):
        problems = []
        pabs = _for_bucket(g, b, "aws_s3_bucket_public_access_block")
        if not pabs:
            problems.append("no aws_s3_bucket_public_access_block")
        for pab in pabs:
            off = [k for k in BLOCKS if pab.get(k) is not True]
            if off:
                problems.append(f"{pab.address}: {', '.join(off)} not true")
        sse = _for_bucket(g, b, "aws_s3_bucket_server_side_encryption_configuration")
        inline = b.block("server_side_encryption_configuration")
        algos = []
        for cfg in sse:
            for rule in cfg.block("rule"):
                for d in rule.get("apply_server_side_encryption_by_default") or []:
                    algos.append(d.get("sse_algorithm"))
        for cfg in inline:
            for rule in cfg.get("rule") or []:
                for d in rule.get("apply_server_side_encryption_by_default") or []:
                    algos.append(d.get("sse_algorithm"))
        if not any(a in ("AES256", "aws:kms", "aws:kms:dsse") for a in algos):
            problems.append(f"no server-side encryption configuration (found {algos})")
        v.judge(b, problems, [], f"public access blocked, SSE {algos}")
    return v.done()
