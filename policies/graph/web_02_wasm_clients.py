"""FDK-WEB-02: each wasm_clients entry gives an alias <subdomain>.<dns_name> served from its
S3 folder, and a DNS record; CloudFront exists iff wasm_clients is non-empty.

Without a wasm_clients variable (a root written otherwise), every alias of a distribution
must still have its DNS record aliasing that distribution.
"""

from ._lib import (
    Verdicts,
    as_list,
    domains,
    first_block,
    fqdn,
    is_unknown,
    record_zone,
    show,
)

CONTROL = "FDK-WEB-02"


def _records(g) -> dict:
    """Records by the name Route53 serves (a relative name is under its zone's)."""
    out = {}
    for r in g.of_type("aws_route53_record"):
        name = g.value(r, "name")
        if isinstance(name, str):
            out.setdefault(fqdn(name, record_zone(g, r)[1]), []).append(r)
    return out


def _record_problems(g, fqdn, records, dists) -> tuple[list[str], list[str]]:
    mine = records.get(fqdn.lower(), [])
    if not mine:
        return [f"no Route53 record {fqdn}"], []
    problems, unknowns = [], []
    for rec in mine:
        alias = first_block(g, rec, "alias")
        if is_unknown(alias):
            unknowns.append(f"the alias of {rec.address}")
            continue
        targets = g.targets(alias.get("name"), "aws_cloudfront_distribution")
        if targets is None:
            unknowns.append(f"the alias target of {rec.address} ({show(alias.get('name'))})")
        elif not any(t.address in dists for t in targets):
            problems.append(f"{rec.address} is not an alias to the distribution")
    return problems, unknowns


def _folder_served(g, dists, folder: str) -> bool | None:
    """The folder is an origin path, or named by a CloudFront function."""
    for d in dists.values():
        for o in as_list(g.value(d, "origin")):
            path = o.get("origin_path") if isinstance(o, dict) else None
            if is_unknown(path):
                return None
            if str(path or "").strip("/") == folder.strip("/"):
                return True
    for fn in g.of_type("aws_cloudfront_function"):
        if folder in str(g.known_value(fn, "code", default="")):
            return True
    return False


def check(g):
    v = Verdicts(CONTROL)
    clients = g.var("wasm_clients")
    dists = {d.address: d for d in g.of_type("aws_cloudfront_distribution")}
    records = _records(g)
    if isinstance(clients, dict):
        names = domains(g)
        if not clients:
            for d in dists.values():
                v.fail(d, "a CloudFront distribution exists although wasm_clients is empty")
            return v.done("wasm_clients is empty and there is no CloudFront distribution")
        if not dists:
            v.fail(
                "(root)",
                f"wasm_clients has {sorted(clients)} but there is no CloudFront distribution",
            )
            return v.done("")
        if not names:
            v.defer("(root)", "no dns_name or zone to build the aliases from")
            return v.done("")
        domain = sorted(names)[0]
        aliases = {
            str(a).lower()
            for d in dists.values()
            for a in as_list(g.value(d, "aliases"))
            if isinstance(a, str)
        }
        for sub, folder in sorted(clients.items()):
            fqdn = f"{sub}.{domain}"
            problems, unknowns = [], []
            if fqdn.lower() not in aliases:
                problems.append(
                    f"{fqdn} is not an alias of the distribution (aliases {sorted(aliases)})"
                )
            pr, un = _record_problems(g, fqdn, records, dists)
            problems += pr
            unknowns += un
            served = _folder_served(g, dists, str(folder))
            if served is None:
                unknowns.append("the origin paths")
            elif not served:
                problems.append(
                    f"folder {folder!r} is neither an origin path nor routed by a function"
                )
            v.judge(fqdn, problems, unknowns, f"alias {fqdn} -> folder {folder!r}, DNS record")
        return v.done("")
    if not g.of_type("aws_route53_zone") and not records:
        return v.done("no wasm_clients variable and no DNS managed in this root")
    for d in dists.values():
        aliases = g.value(d, "aliases")
        if is_unknown(aliases):
            v.defer(d, f"aliases = {show(aliases)}")
            continue
        for alias in as_list(aliases):
            problems, unknowns = _record_problems(g, str(alias), records, dists)
            v.judge(f"{alias}", problems, unknowns, f"alias {alias} has its DNS record")
    return v.done("no CloudFront distribution and no wasm_clients variable in this root")
