"""FDK-DATA-04: S3 buckets: all four public-access blocks on, server-side encryption on."""

from ._lib import Verdicts, as_list, for_bucket, is_unknown, params, show

CONTROL = "FDK-DATA-04"


def _account_blocks(g, flags) -> bool:
    """An account-level public access block with every flag on covers every bucket."""
    return any(
        all(g.value(a, f) is True for f in flags)
        for a in g.of_type("aws_s3_account_public_access_block")
    )


def _algorithms(rules) -> list:
    out = []
    for rule in as_list(rules):
        if not isinstance(rule, dict):
            continue
        for d in as_list(rule.get("apply_server_side_encryption_by_default")):
            if isinstance(d, dict):
                out.append(d.get("sse_algorithm"))
    return out


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    flags = p["public_access_blocks"]
    account = _account_blocks(g, flags)
    pabs, lost_pabs = for_bucket(g, "aws_s3_bucket_public_access_block")
    sses, lost_sses = for_bucket(g, "aws_s3_bucket_server_side_encryption_configuration")
    for b in g.of_type("aws_s3_bucket"):
        problems, unknowns = [], []
        mine = pabs.get(b.address, [])
        if not mine and not account:
            if lost_pabs:
                unknowns.append(f"the bucket of {lost_pabs[0].address} cannot be followed")
            else:
                problems.append("no aws_s3_bucket_public_access_block")
        for pab in mine:
            values = {f: g.value(pab, f) for f in flags}
            off = [f for f, x in values.items() if x is not True and not is_unknown(x)]
            if off:
                problems.append(f"{pab.address}: {', '.join(off)} not true")
            unknowns += [
                f"{pab.address} {f} = {show(x)}" for f, x in values.items() if is_unknown(x)
            ]
        algos = []
        for cfg in sses.get(b.address, []):
            algos += _algorithms(g.value(cfg, "rule"))
        inline = []
        if g.configured(b, "server_side_encryption_configuration"):
            inline = as_list(g.value(b, "server_side_encryption_configuration"))
        for cfg in inline:
            if isinstance(cfg, dict):
                algos += _algorithms(cfg.get("rule"))
        if any(is_unknown(a) for a in algos):
            unknowns.append("the server-side encryption algorithm")
        elif not any(a in p["sse_algorithms"] for a in algos):
            if lost_sses and not algos:
                unknowns.append(f"the bucket of {lost_sses[0].address} cannot be followed")
            else:
                problems.append(f"no server-side encryption configuration (found {algos})")
        v.judge(b, problems, unknowns, f"public access blocked, SSE {algos}")
    return v.done("no S3 bucket in this root")
