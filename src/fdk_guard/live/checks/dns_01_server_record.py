from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok

CONTROL = "FDK-DNS-01"


@check(CONTROL, "the zone for dns_name aliases the server's name to the ALB")
def server_record_aliases_alb(snap):
    types = params(CONTROL)["record_types"]
    domain = snap.scope.dns_name.rstrip(".").lower()
    host = (snap.scope.server_host or domain).lower()
    zones = [
        z
        for z in snap.zones
        if z["Name"].rstrip(".").lower() == domain
        and not (z.get("Config") or {}).get("PrivateZone")  # the public answers only
    ]
    if not domain:
        return
    if not zones:
        yield bad(domain, "no Route53 hosted zone for dns_name")
        return
    albs = {lb["DNSName"].rstrip(".").lower() for lb in snap.load_balancers}
    zone_id = zones[0]["Id"].rsplit("/", 1)[-1]
    found = [
        r
        for r in snap.records.get(zone_id, [])
        if r["Name"].rstrip(".").lower() == host and r["Type"] in types
    ]
    targets = [(r.get("AliasTarget") or {}).get("DNSName", "").rstrip(".").lower() for r in found]
    # Route53 may prefix alias targets with "dualstack."
    if any(t.removeprefix("dualstack.") in albs for t in targets):
        yield ok(host, "A alias to the ALB")
    else:
        yield bad(
            host, f"A record(s) {targets or 'missing'}, not an alias to the ALB {sorted(albs)}"
        )
