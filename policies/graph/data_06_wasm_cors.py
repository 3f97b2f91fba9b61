"""FDK-DATA-06: the WASM bucket's CORS allows only the application domain's origins."""

from ._lib import Verdicts, is_unknown
from ._wasm import wasm_buckets

CONTROL = "FDK-DATA-06"


def _allowed(origin: str, domain: str | None) -> bool:
    if origin == "*" or not origin.startswith("https://"):
        return False
    if domain is None:
        return "*" not in origin.replace("https://*.", "https://")
    host = origin[len("https://") :]
    return host == domain or (host.endswith("." + domain) and "*" not in host[2:])


def check(g):
    v = Verdicts(CONTROL)
    domain = g.var("dns_name")
    domain = domain.rstrip(".") if isinstance(domain, str) else None
    for b in wasm_buckets(g):
        cors = [
            c
            for c in g.of_type("aws_s3_bucket_cors_configuration")
            if b.address in (g.refs(c, "bucket") or set())
        ]
        rules = [r for c in cors for r in c.block("cors_rule")] + b.block("cors_rule")
        problems, unknowns = [], []
        if not rules:
            problems.append("no CORS configuration")
        for rule in rules:
            origins = rule.get("allowed_origins") or []
            if is_unknown(origins):
                unknowns.append("allowed_origins")
                continue
            bad = [o for o in origins if not _allowed(o, domain)]
            if bad:
                problems.append(f"allowed_origins {bad} outside https://{domain or '<dns_name>'}")
        v.judge(b, problems, unknowns, f"CORS limited to the application domain {domain}")
    return v.done("no WASM bucket found")
