from fdk_guard.catalogue import params
from fdk_guard.live.checks import Verdict, bad, check, ok
from fdk_guard.live.checks._common import server_fronts

CONTROL = "FDK-TLS-02"


@check(CONTROL, "the HTTPS listener uses an ACM certificate and a TLS 1.2+ policy")
def https_listener_acm_tls12(snap):
    allowed = params(CONTROL)["ssl_policies"]  # exactly these: no prefix admits TLS 1.0/1.1
    _, theirs = server_fronts(snap)
    for lb in snap.load_balancers:
        arn = lb["LoadBalancerArn"]
        https = [x for x in snap.listeners.get(arn, []) if x.get("Protocol") == "HTTPS"]
        if not https and theirs and arn not in theirs:
            # every HTTPS listener is judged; an HTTPS listener is asked of the server's ALB
            yield Verdict("not_applicable", arn, "not the FDK server's load balancer")
        elif not https:
            yield bad(arn, "no HTTPS listener")
        for listener in https:
            arn, policy = listener["ListenerArn"], listener.get("SslPolicy", "")
            certs = [c.get("CertificateArn", "") for c in listener.get("Certificates", [])]
            if not certs or not all(":acm:" in c for c in certs):
                yield bad(arn, f"certificate(s) {certs} are not from ACM")
            elif any(c not in snap.certificates for c in certs):
                yield bad(arn, f"certificate(s) {certs} not found in ACM")
            elif policy not in allowed:
                yield bad(arn, f"security policy {policy or 'none'} allows TLS below 1.2")
            else:
                yield ok(arn, f"ACM certificate, policy {policy}")
