from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok

CONTROL = "FDK-DATA-04"


def _api_name(block: str) -> str:
    """block_public_acls (Terraform, the catalogue) -> BlockPublicAcls (the S3 API)."""
    return "".join(word.capitalize() for word in block.split("_"))


@check(CONTROL, "S3 buckets block all public access and are encrypted")
def s3_public_access_blocked_and_encrypted(snap):
    p = params(CONTROL)
    blocks = [_api_name(b) for b in p["public_access_blocks"]]
    for name, bucket in sorted(snap.buckets.items()):
        pab = bucket.get("public_access_block") or {}
        off = [b for b in blocks if not pab.get(b)]
        rules = (bucket.get("encryption") or {}).get("Rules", [])
        algorithms = [
            (r.get("ApplyServerSideEncryptionByDefault") or {}).get("SSEAlgorithm") for r in rules
        ]
        if off:
            yield bad(name, f"public access block off: {off}")
        elif not rules:
            yield bad(name, "no default server-side encryption")
        elif any(a not in p["sse_algorithms"] for a in algorithms):
            yield bad(name, f"server-side encryption {algorithms}, not {p['sse_algorithms']}")
        else:
            yield ok(name, "all four public access blocks on; encrypted")
