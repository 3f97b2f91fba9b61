"""FDK-WEB-02: each wasm_clients entry gives an alias <subdomain>.<dns_name> served from its
S3 folder, and a DNS record; CloudFront exists iff wasm_clients is non-empty."""

from ._lib import Verdicts

CONTROL = "FDK-WEB-02"


def _folder_served(g, dist, folder: str) -> bool:
    """The folder is an origin path, or named by a function the distribution runs."""
    for o in dist.block("origin"):
        if str(o.get("origin_path") or "").strip("/") == folder.strip("/"):
            return True
    for fn in g.of_type("aws_cloudfront_function"):
        if folder in str(fn.known("code", default="")):
            return True
    return False


def check(g):
    v = Verdicts(CONTROL)
    clients, domain = g.var("wasm_clients"), g.var("dns_name")
    dists = g.of_type("aws_cloudfront_distribution")
    if not isinstance(clients, dict) or not isinstance(domain, str):
        v.defer("(root)", "no wasm_clients/dns_name variables: the mapping is checked after deploy")
        return v.done()
    domain = domain.rstrip(".")
    if not clients:
        for d in dists:
            v.fail(d, "a CloudFront distribution exists although wasm_clients is empty")
        if not dists:
            v.ok("(root)", "wasm_clients empty and no CloudFront distribution")
        return v.done()
    if not dists:
        v.fail(
            "(root)", f"wasm_clients has {sorted(clients)} but there is no CloudFront distribution"
        )
        return v.done()
    aliases = {a for d in dists for a in d.known("aliases", default=[])}
    records = {
        str(r.get("name")).rstrip("."): r
        for r in g.of_type("aws_route53_record")
        if isinstance(r.get("name"), str)
    }
    for sub, folder in sorted(clients.items()):
        fqdn, problems = f"{sub}.{domain}", []
        if fqdn not in aliases:
            problems.append(
                f"{fqdn} is not an alias of the distribution (aliases {sorted(aliases)})"
            )
        rec = records.get(fqdn)
        if rec is None:
            problems.append(f"no Route53 record {fqdn}")
        elif not any(
            t.type == "aws_cloudfront_distribution"
            for t in g.ref_resources(rec, "alias", 0, "name") or []
        ):
            problems.append(f"{rec.address} is not an alias to the distribution")
        if not any(_folder_served(g, d, folder) for d in dists):
            problems.append(f"folder {folder!r} is neither an origin path nor routed by a function")
        v.judge(fqdn, problems, [], f"alias {fqdn} -> folder {folder!r}, DNS record")
    return v.done()
