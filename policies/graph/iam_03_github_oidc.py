"""FDK-IAM-03: a GitHub OIDC deploy role requires audience sts.amazonaws.com and a `sub`
bound to one repository, and may do only what the CI user may."""

import re

from fdk_guard.plangraph import Resource, is_unknown
from fdk_guard.plangraph.iam import statements

from ._ci import judge_ci_policy
from ._lib import Verdicts
from .data_07_data_buckets import role_policies

CONTROL = "FDK-IAM-03"
GITHUB = "token.actions.githubusercontent.com"
SUB = re.compile(r"^repo:(?P<owner>[^/*?]+)/(?P<repo>[^:*?]+):.+$")


def _github(principal) -> bool:
    ptype, pid = principal
    if ptype != "Federated":
        return False
    if isinstance(pid, Resource):
        return pid.type == "aws_iam_openid_connect_provider"
    return isinstance(pid, str) and GITHUB in pid


def check(g):
    v = Verdicts(CONTROL)
    found = False
    for role in g.of_type("aws_iam_role"):
        sts = statements(g, role, "assume_role_policy")
        if sts is None:
            continue
        fed = [
            s for s in sts
            if s.allows
            and (
                any(GITHUB in str(c[1]) for c in s.conditions)
                or (not is_unknown(s.principals) and any(_github(p) for p in s.principals))
            )
        ]  # fmt: skip
        if not fed:
            continue
        found = True
        problems, unknowns = [], []
        for s in fed:
            conds = {(str(var).lower(), test): vals for test, var, vals in s.conditions}
            aud = [vals for (var, _t), vals in conds.items() if var == f"{GITHUB}:aud"]
            if not aud or any(list(vals) != ["sts.amazonaws.com"] for vals in aud):
                problems.append(f"audience {aud or 'not required'}, want ['sts.amazonaws.com']")
            subs = [vals for (var, _t), vals in conds.items() if var == f"{GITHUB}:sub"]
            if not subs:
                problems.append("no sub condition: any repository can assume it")
            repos = set()
            for vals in subs:
                for val in vals:
                    if is_unknown(val) or isinstance(val, Resource):
                        unknowns.append("sub condition value")
                        continue
                    m = SUB.match(str(val))
                    if not m:
                        problems.append(f"sub {val!r} not bound to one owner/repository")
                    else:
                        repos.add(f"{m['owner']}/{m['repo']}")
            if len(repos) > 1:
                problems.append(f"sub allows several repositories {sorted(repos)}")
        for pol in role_policies(g, role):
            p, u = judge_ci_policy(g, pol)
            problems += p
            unknowns += u
        v.judge(
            role, problems, unknowns, "audience sts.amazonaws.com, one repository, CI rights only"
        )
    if not found:
        v.na("(root)", "no GitHub OIDC deploy role in this root")
    return v.done()
