from fdk_guard.live.checks import bad, check, ok


def _in_domain(origin: str, domain: str) -> bool:
    host = origin.split("://", 1)[-1].split(":", 1)[0]
    return bool(domain) and (host == domain or host.endswith("." + domain))


@check("FDK-DATA-06", "the WASM bucket's CORS allows only the application domain's origins")
def wasm_bucket_cors_scoped(snap):
    domain = snap.scope.dns_name
    for name, bucket in sorted(snap.buckets.items()):
        origins = [o for rule in bucket.get("cors") or [] for o in rule.get("AllowedOrigins", [])]
        if domain:
            foreign = [o for o in origins if o == "*" or not _in_domain(o, domain)]
        else:
            foreign = [o for o in origins if o.split("://", 1)[-1] == "*"]
        if not origins:
            yield bad(name, "no CORS rule for the application domain")
        elif foreign:
            yield bad(name, f"CORS allows origins outside {domain or 'the domain'}: {foreign}")
        else:
            yield ok(name, f"CORS origins {origins}")
