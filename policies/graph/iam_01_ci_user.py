"""FDK-IAM-01: the CI user may only write to the WASM bucket and invalidate its
distribution: no `*` action, no `*` resource."""

from ._ci import judge_ci_policy, user_policies
from ._lib import Verdicts

CONTROL = "FDK-IAM-01"


def check(g):
    v = Verdicts(CONTROL)
    for user in g.of_type("aws_iam_user"):
        problems, unknowns = [], []
        policies = user_policies(g, user)
        if not policies:
            problems.append("no policy: the CI user cannot deploy")
        for pol in policies:
            p, u = judge_ci_policy(g, pol)
            problems += p
            unknowns += u
        v.judge(user, problems, unknowns, "WASM bucket write and invalidation only")
    return v.done("no CI IAM user in the plan")
