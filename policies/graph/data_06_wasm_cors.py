"""FDK-DATA-06: the WASM bucket's CORS allows only the application domain's origins."""

from ._lib import (
    Verdicts,
    as_list,
    domains,
    flatten,
    for_bucket,
    is_unknown,
    show,
    wasm_buckets,
)

CONTROL = "FDK-DATA-06"


def _allowed(origin: str, names: set[str]) -> bool:
    if not origin.startswith("https://"):
        return False
    host = origin[len("https://") :].split("/")[0].split(":")[0].lower()
    if host.startswith("*."):  # every subdomain of the application's domain
        host = host[2:]
    if "*" in host:
        return False
    return any(host == d or host.endswith("." + d) for d in names)


def check(g):
    v = Verdicts(CONTROL)
    names = domains(g)
    for dist in g.of_type("aws_cloudfront_distribution"):
        for alias in as_list(g.value(dist, "aliases")):
            if isinstance(alias, str) and not names:
                names.add(alias.lower())
    configs, lost = for_bucket(g, "aws_s3_bucket_cors_configuration")
    for b in wasm_buckets(g).values():
        rules = []
        for cfg in configs.get(b.address, []):
            rules += as_list(g.value(cfg, "cors_rule"))
        if g.configured(b, "cors_rule"):
            rules += as_list(g.value(b, "cors_rule"))
        problems, unknowns = [], []
        if not rules:
            if lost:
                unknowns.append(f"the bucket of {lost[0].address} cannot be followed")
            else:
                problems.append("no CORS configuration")
        for rule in rules:
            origins = rule.get("allowed_origins") if isinstance(rule, dict) else rule
            if is_unknown(origins):
                unknowns.append(f"allowed_origins = {show(origins)}")
                continue
            for origin in flatten(origins):
                if is_unknown(origin):
                    unknowns.append(f"allowed origin {show(origin)}")
                elif not names:
                    unknowns.append(
                        "no application domain (dns_name, zone or alias) to compare with"
                    )
                elif not _allowed(str(origin), names):
                    problems.append(
                        f"allowed origin {origin!r} is not https://<name>."
                        + " or ".join(sorted(names))
                    )
        v.judge(b, problems, unknowns, f"CORS limited to {sorted(names)}")
    return v.done("no WASM bucket (an S3 origin of CloudFront) in this root")
