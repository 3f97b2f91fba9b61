from fdk_guard.live.checks import bad, check, ok


@check("FDK-WEB-02", "each WASM host is a CloudFront alias with a DNS record", optional=True)
def wasm_hosts_aliased_and_recorded(snap):
    aliases = {
        a.lower()
        for d in snap.distributions
        for a in d["DistributionConfig"].get("Aliases", {}).get("Items") or []
    }
    records = {
        r["Name"].rstrip(".").lower(): r
        for rs in snap.records.values()
        for r in rs
        if r["Type"] in ("A", "AAAA", "CNAME")
    }
    dist_domains = {d["DomainName"].rstrip(".").lower() for d in snap.distributions}
    hosts = set(snap.scope.wasm_hosts) or aliases
    for host in sorted(hosts):
        target = (records.get(host, {}).get("AliasTarget") or {}).get("DNSName", "")
        cname = [v["Value"] for v in records.get(host, {}).get("ResourceRecords", [])]
        pointed = target.rstrip(".").lower() in dist_domains or any(
            c.rstrip(".").lower() in dist_domains for c in cname
        )
        if host not in aliases:
            yield bad(host, f"not an alias of any distribution (aliases {sorted(aliases)})")
        elif not pointed:
            yield bad(host, "no DNS record pointing at the distribution")
        else:
            yield ok(host, "alias of the distribution, DNS record in the zone")
