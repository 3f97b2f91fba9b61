"""FDK-IAM-03: a GitHub OIDC deploy role requires audience sts.amazonaws.com and a `sub`
bound to one repository, and may do only what the CI user may."""

import re

from fdk_guard.plangraph.iam import from_document

from ._ci import judge_ci_policies
from ._lib import Verdicts, is_unknown, params, role_policies, show

CONTROL = "FDK-IAM-03"
SUB = re.compile(r"^repo:(?P<owner>[^/*?]+)/(?P<repo>[^:*?]+):.+$")


def _github(g, pid, issuer) -> bool:
    if isinstance(pid, str):
        return issuer in pid
    hits = g.targets(pid, "aws_iam_openid_connect_provider")
    if hits:
        return any(issuer in str(g.value(h, "url")) for h in hits)
    return False


def check(g):
    v = Verdicts(CONTROL)
    p = params(CONTROL)
    issuer = p["issuer"]
    requiring = re.compile(p["requiring"])
    for role in g.of_type("aws_iam_role"):
        sts = from_document(g.document(role, "assume_role_policy"), role.address)
        if sts is None:
            continue
        fed = [
            s
            for s in sts
            if s.allows
            and (
                any(issuer in str(var) for _t, var, _vals in s.conditions)
                or (
                    not is_unknown(s.principals)
                    and any(t == "Federated" and _github(g, pid, issuer) for t, pid in s.principals)
                )
            )
        ]
        if not fed:
            continue
        problems, unknowns = [], []
        for s in fed:
            conds = []
            for test, var, vals in s.conditions:
                var = str(var).lower()
                if var not in (f"{issuer}:aud", f"{issuer}:sub"):
                    continue
                if requiring.match(str(test)):
                    conds.append((var, test, vals))
                else:
                    claim = var.rsplit(":", 1)[1]
                    problems.append(f"{test} on {claim} {vals} does not require that value")
            aud = [vals for var, _t, vals in conds if var == f"{issuer}:aud"]
            if not aud or any([str(x) for x in vals] != [p["audience"]] for vals in aud):
                problems.append(f"audience {aud or 'not required'}, want [{p['audience']!r}]")
            subs = [vals for var, _t, vals in conds if var == f"{issuer}:sub"]
            if not subs:
                problems.append("no sub condition: any repository can assume it")
            repos = set()
            for vals in subs:
                for val in vals:
                    if is_unknown(val):
                        unknowns.append(f"the sub condition {show(val)}")
                        continue
                    m = SUB.match(str(val))
                    if not m:
                        problems.append(f"sub {val!r} is not bound to one owner/repository")
                    else:
                        repos.add(f"{m['owner']}/{m['repo']}")
            if len(repos) > 1:
                problems.append(f"sub allows several repositories {sorted(repos)}")
        policies, lost = role_policies(g, role)
        pr, un = judge_ci_policies(g, policies, lost)
        v.judge(
            role,
            problems + pr,
            unknowns + un,
            "audience sts.amazonaws.com, one repository, CI rights only",
        )
    return v.done("no GitHub OIDC deploy role in this root")
