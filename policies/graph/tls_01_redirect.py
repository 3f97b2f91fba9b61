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


def _judge_redirect(action: dict, want: dict, where: str, problems, unknowns) -> None:
    """An action must redirect to HTTPS on 443 with 301 (`want`)."""
    kind = action.get("type")
    if is_unknown(kind):
        unknowns.append(f"the {where}'s type")
        return
    if kind != "redirect":
        problems.append(f"{where} {kind!r}, not a redirect")
        return
    r = (as_list(action.get("redirect")) or [{}])[0]
    if not isinstance(r, dict):
        unknowns.append(f"the redirect of the {where}")
        return
    got = {k: r.get(k) for k in want}
    if any(is_unknown(x) for x in got.values()):
        unknowns.append(f"the {where}'s redirect {got}")
    elif {k: str(x) for k, x in got.items()} != {k: str(x) for k, x in want.items()}:
        problems.append(f"{where} redirects to {got}, not {want}")


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
            _judge_redirect(a, want, "default action", problems, unknowns)
        for rule in rules_of.get(ls.address, []):
            for a in _actions(g, rule, "action"):  # a rule's redirect is held to the same
                _judge_redirect(a, want, f"listener rule {rule.address}", problems, unknowns)
        if lost:
            unknowns.append(f"the listener of {lost[0].address} cannot be followed")
        v.judge(ls, problems, unknowns, "HTTP redirects to HTTPS:443 with 301")
    return v.done("no HTTP listener on a load balancer in this root")
