from fdk_guard.live.checks import bad, check, ok

# ELB security policies that offer nothing below TLS 1.2 (FSBP ELB.17's list, plus TLS13).
TLS12_POLICIES = (
    "ELBSecurityPolicy-TLS13-",
    "ELBSecurityPolicy-TLS-1-2-",
    "ELBSecurityPolicy-FS-1-2-",
)


@check("FDK-TLS-02", "the HTTPS listener uses an ACM certificate and a TLS 1.2+ policy")
def https_listener_acm_tls12(snap):
    for lb in snap.load_balancers:
        https = [
            x for x in snap.listeners.get(lb["LoadBalancerArn"], []) if x.get("Protocol") == "HTTPS"
        ]
        if not https:
            yield bad(lb["LoadBalancerArn"], "no HTTPS listener")
        for listener in https:
            arn, policy = listener["ListenerArn"], listener.get("SslPolicy", "")
            certs = [c.get("CertificateArn", "") for c in listener.get("Certificates", [])]
            if not certs or not all(":acm:" in c for c in certs):
                yield bad(arn, f"certificate(s) {certs} are not from ACM")
            elif any(c not in snap.certificates for c in certs):
                yield bad(arn, f"certificate(s) {certs} not found in ACM")
            elif not policy.startswith(TLS12_POLICIES):
                yield bad(arn, f"security policy {policy or 'none'} allows TLS below 1.2")
            else:
                yield ok(arn, f"ACM certificate, policy {policy}")
