from fdk_guard.live.checks import bad, check, ok


@check("FDK-WEB-02", "each WASM host is a CloudFront alias with a DNS record", optional=True)
def wasm_hosts_aliased_and_recorded(snap):
    aliases = {
        a.lower()
        for d in snap.distributions
        for a in d["DistributionConfig"].get("Aliases", {}).get("Items") or []
    }
    records: dict[str, list[dict]] = {}  # a host may have A, AAAA (or a CNAME)
    for rs in snap.records.values():
        for r in rs:
            if r["Type"] in ("A", "AAAA", "CNAME"):
                records.setdefault(r["Name"].rstrip(".").lower(), []).append(r)
    dist_domains = {d["DomainName"].rstrip(".").lower() for d in snap.distributions}

    def to_distribution(r: dict) -> bool:
        target = (r.get("AliasTarget") or {}).get("DNSName", "")
        cname = [v["Value"] for v in r.get("ResourceRecords", [])]
        return target.rstrip(".").lower() in dist_domains or any(
            c.rstrip(".").lower() in dist_domains for c in cname
        )

    hosts = set(snap.scope.wasm_hosts) or aliases
    for host in sorted(hosts):
        mine = records.get(host, [])
        # every record of the host goes to the distribution (an A elsewhere strands IPv4)
        pointed = bool(mine) and all(to_distribution(r) for r in mine)
        if host not in aliases:
            yield bad(host, f"not an alias of any distribution (aliases {sorted(aliases)})")
        elif not pointed:
            yield bad(host, "no DNS record pointing at the distribution")
        else:
            yield ok(host, "alias of the distribution, DNS record in the zone")
