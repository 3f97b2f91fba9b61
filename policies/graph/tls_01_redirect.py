"""FDK-TLS-01: every ALB HTTP listener redirects to HTTPS 443 with HTTP 301; none forwards."""

from ._lib import LISTENER_TYPES, Verdicts

CONTROL = "FDK-TLS-01"


def check(g):
    v = Verdicts(CONTROL)
    for ls in g.of_type(*LISTENER_TYPES):
        if ls.get("protocol") != "HTTP":
            continue
        problems = []
        actions = ls.block("default_action")
        for a in actions:
            if a.get("type") != "redirect":
                problems.append(f"default action {a.get('type')!r}, not a redirect")
                continue
            r = (a.get("redirect") or [{}])[0]
            got = (r.get("protocol"), str(r.get("port")), r.get("status_code"))
            if got != ("HTTPS", "443", "HTTP_301"):
                problems.append(
                    f"redirect to {got[0]}:{got[1]} with {got[2]}, not HTTPS:443 HTTP_301"
                )
        if not actions:
            problems.append("no default action")
        for rule in g.of_type("aws_lb_listener_rule", "aws_alb_listener_rule"):
            if ls.address in (g.refs(rule, "listener_arn") or set()):
                kinds = [a.get("type") for a in rule.block("action")]
                if any(k != "redirect" for k in kinds):
                    problems.append(f"listener rule {rule.address} {kinds}")
        v.judge(ls, problems, [], "HTTP redirects to HTTPS:443 with 301")
    return v.done("no HTTP listener on an ALB")
