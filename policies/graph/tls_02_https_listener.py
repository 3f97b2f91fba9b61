"""FDK-TLS-02: the HTTPS listener uses the ACM certificate and a TLS 1.2+ policy."""

from ._lib import LB_TYPES, LISTENER_TYPES, Verdicts

CONTROL = "FDK-TLS-02"
# ELB security policies that refuse TLS 1.0/1.1 (FSBP ELB.17).
TLS12_PREFIXES = (
    "ELBSecurityPolicy-TLS13-",
    "ELBSecurityPolicy-TLS-1-2-",
    "ELBSecurityPolicy-FS-1-2-",
)


def check(g):
    v = Verdicts(CONTROL)
    for lb in g.of_type(*LB_TYPES):
        listeners = [
            ls
            for ls in g.of_type(*LISTENER_TYPES)
            if lb.address in (g.refs(ls, "load_balancer_arn") or set())
        ]
        if not any(ls.get("protocol") == "HTTPS" for ls in listeners):
            v.fail(lb, "no HTTPS listener")
    for ls in g.of_type(*LISTENER_TYPES):
        if ls.get("protocol") != "HTTPS":
            continue
        problems, unknowns = [], []
        policy = ls.get("ssl_policy")
        if not (isinstance(policy, str) and policy.startswith(TLS12_PREFIXES)):
            problems.append(f"ssl_policy = {policy!r}: not a TLS 1.2+ policy")
        certs = g.ref_resources(ls, "certificate_arn")
        if certs is None:
            unknowns.append("certificate_arn cannot be followed")
        elif not any(
            c.type in ("aws_acm_certificate", "aws_acm_certificate_validation") for c in certs
        ):
            arn = ls.get("certificate_arn")
            if not (isinstance(arn, str) and ":acm:" in arn):
                problems.append(f"certificate_arn = {arn!r}: not an ACM certificate")
        v.judge(ls, problems, unknowns, f"ACM certificate, {policy}")
    return v.done("no HTTPS listener in the plan")
