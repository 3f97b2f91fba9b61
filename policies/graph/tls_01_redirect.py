"""FDK-TLS-01: every ALB HTTP listener redirects to HTTPS 443 with HTTP 301; none forwards."""

from ._lib import (
    LISTENER_TYPES,
    RULE_TYPES,
    Verdicts,
    as_list,
    is_unknown,
    listener_protocol,
    params,
    show,
)

CONTROL = "FDK-TLS-01"


def _actions(g, res, attr):
    return [a for a in as_list(g.value(res, attr)) if isinstance(a, dict)]


def check(g):
    v = Verdicts(CONTROL)
    want = params(CONTROL)["redirect"]
    rules_of: dict[str, list] = {}
    lost = []
    for rule in g.of_type(*RULE_TYPES):
        hits = g.targets(g.value(rule, "listener_arn"), *LISTENER_TYPES)
        if hits is None:
            lost.append(rule)
        for ls in hits or []:
            rules_of.setdefault(ls.address, []).append(rule)
    for ls in g.of_type(*LISTENER_TYPES):
        protocol = listener_protocol(g, ls)
        if is_unknown(protocol):
            v.defer(ls, f"protocol = {show(protocol)}")
            continue
        if protocol != "HTTP":
            continue
        problems, unknowns = [], []
        actions = _actions(g, ls, "default_action")
        if not actions:
            problems.append("no default action")
        for a in actions:
            kind = a.get("type")
            if kind != "redirect":
                problems.append(f"default action {kind!r}, not a redirect")
                continue
            r = (as_list(a.get("redirect")) or [{}])[0]
            if not isinstance(r, dict):
                unknowns.append(f"the redirect of {ls.address}")
                continue
            got = {k: r.get(k) for k in want}
            if any(is_unknown(x) for x in got.values()):
                unknowns.append(f"the redirect {got}")
            elif {k: str(x) for k, x in got.items()} != {k: str(x) for k, x in want.items()}:
                problems.append(f"redirect to {got}, not {want}")
        for rule in rules_of.get(ls.address, []):
            kinds = [a.get("type") for a in _actions(g, rule, "action")]
            if any(k != "redirect" for k in kinds):
                problems.append(f"listener rule {rule.address} does {kinds}")
        if lost:
            unknowns.append(f"the listener of {lost[0].address} cannot be followed")
        v.judge(ls, problems, unknowns, "HTTP redirects to HTTPS:443 with 301")
    return v.done("no HTTP listener on a load balancer in this root")
