"""FDK-TLS-02: the HTTPS listener uses the ACM certificate and a TLS 1.2+ security policy
(exactly one of the policies the catalogue lists: no policy that still offers TLS 1.0/1.1).

Every HTTPS listener is judged. That TLS terminates at the ALB (it has an HTTPS listener)
is held of the FDK server's ALB; another ALB of the root (internal, for something else)
is not_applicable, and deferred while the server's cannot be told apart from it.
"""

from ._lib import (
    LB_TYPES,
    LISTENER_TYPES,
    Verdicts,
    application_load_balancers,
    is_unknown,
    listener_protocol,
    params,
    server_fronts,
    show,
)

CONTROL = "FDK-TLS-02"
CERT_TYPES = ("aws_acm_certificate", "aws_acm_certificate_validation")


def check(g):
    v = Verdicts(CONTROL)
    allowed = params(CONTROL)["ssl_policies"]
    https_lbs, lost = set(), []
    for ls in g.of_type(*LISTENER_TYPES):
        protocol = listener_protocol(g, ls)
        if is_unknown(protocol):
            v.defer(ls, f"protocol = {show(protocol)}")
            continue
        if protocol != "HTTPS":
            continue
        lbs = g.targets(g.value(ls, "load_balancer_arn"), *LB_TYPES)
        if lbs is None:
            lost.append(ls.address)
        https_lbs |= {lb.address for lb in lbs or []}
        problems, unknowns = [], []
        policy = g.value(ls, "ssl_policy")
        if is_unknown(policy):
            unknowns.append(f"ssl_policy = {show(policy)}")
        elif policy not in allowed:
            problems.append(f"ssl_policy = {policy!r} is not a TLS 1.2+ policy of the catalogue")
        cert = g.value(ls, "certificate_arn")
        certs = g.targets(cert, *CERT_TYPES)
        if cert is None:
            problems.append("no certificate_arn")
        elif certs is None and isinstance(cert, str):
            if ":acm:" not in cert:
                problems.append(f"certificate {cert!r} is not an ACM certificate")
        elif certs is None:
            unknowns.append(f"certificate_arn cannot be followed ({show(cert)})")
        v.judge(ls, problems, unknowns, f"ACM certificate, {policy}")
    fronts = server_fronts(g)
    albs = application_load_balancers(g)
    for lb in albs:
        if lb.address in https_lbs:
            continue
        if fronts.excludes(lb):
            v.na(lb, "not the FDK server's: none of its listeners forwards to the server")
        elif lost:
            v.defer(lb, f"the load balancer of {lost[0]} cannot be followed")
        else:
            v.judge_subject(
                lb,
                ["no HTTPS listener: TLS does not terminate at this load balancer"],
                [],
                "",
                theirs=fronts.found,
                several=len(albs) > 1,
                doubt=f"whether it fronts the FDK server cannot be told ({fronts.why})",
            )
    return v.done("no load balancer in this root")
