"""FDK-IAM-01: the CI user may only write to the WASM bucket and invalidate its
distribution: no `*` action, no `*` resource. Every IAM user of a root that hosts the WASM
app is held to it."""

from ._ci import judge_ci_policies
from ._lib import Verdicts, user_policies, wasm_sites

CONTROL = "FDK-IAM-01"


def check(g):
    v = Verdicts(CONTROL)
    users = g.of_type("aws_iam_user")
    buckets, _ = wasm_sites(g)
    if users and not buckets:
        return v.done("no WASM bucket in this root: its IAM users are not the WASM deploy user")
    for user in users:
        policies, lost = user_policies(g, user)
        problems, unknowns = judge_ci_policies(g, policies, lost)
        if not policies and not lost:
            problems.append("no policy: the CI user cannot deploy")
        v.judge(
            user, problems, unknowns, "writes the WASM bucket and invalidates its distribution only"
        )
    return v.done("no CI IAM user in this root")
