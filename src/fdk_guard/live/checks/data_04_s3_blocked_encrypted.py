from fdk_guard.live.checks import bad, check, ok

BLOCKS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


@check("FDK-DATA-04", "S3 buckets block all public access and are encrypted")
def s3_public_access_blocked_and_encrypted(snap):
    for name, bucket in sorted(snap.buckets.items()):
        pab = bucket.get("public_access_block") or {}
        off = [b for b in BLOCKS if not pab.get(b)]
        rules = (bucket.get("encryption") or {}).get("Rules", [])
        if off:
            yield bad(name, f"public access block off: {off}")
        elif not rules:
            yield bad(name, "no default server-side encryption")
        else:
            yield ok(name, "all four public access blocks on; encrypted")
