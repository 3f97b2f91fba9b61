"""FDK-IAM-02: no IAM policy in the root grants `*` on `*`; roles are assumable only by
their service (federated trust is judged by FDK-IAM-03)."""

from fdk_guard.plangraph import Resource, is_unknown
from fdk_guard.plangraph.iam import statements

from ._lib import Verdicts

CONTROL = "FDK-IAM-02"
POLICY_TYPES = (
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
)
ATTACH = (
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy_attachment",
)


def _star(values) -> bool:
    return any(isinstance(x, str) and x == "*" for x in values)


def check(g):
    v = Verdicts(CONTROL)
    for pol in g.of_type(*POLICY_TYPES):
        sts = statements(g, pol)
        if sts is None:
            v.defer(pol, "policy document unknown until apply")
            continue
        bad = [
            s for s in sts
            if s.allows and not is_unknown(s.actions) and _star(s.actions) and _star(s.resources)
        ]  # fmt: skip
        unknown = [s for s in sts if s.allows and is_unknown(s.actions)]
        if bad:
            v.fail(pol, "grants Action '*' on Resource '*'")
        elif unknown:
            v.defer(pol, "actions unknown until apply")
        else:
            v.ok(pol, "no '*' on '*'")
    for att in g.of_type(*ATTACH):
        arn = att.get("policy_arn")
        if isinstance(arn, str) and arn.endswith(":policy/AdministratorAccess"):
            v.fail(att, "attaches AdministratorAccess")
    for role in g.of_type("aws_iam_role"):
        sts = statements(g, role, "assume_role_policy")
        if sts is None:
            v.defer(role, "trust policy unknown until apply")
            continue
        problems = []
        for s in (s for s in sts if s.allows):
            if is_unknown(s.principals):
                v.defer(role, "trust principals unknown until apply")
                break
            for ptype, pid in s.principals:
                if ptype == "Service" and isinstance(pid, str) and pid.endswith(".amazonaws.com"):
                    continue
                if ptype == "Federated":
                    continue  # judged by FDK-IAM-03
                if ptype == "AWS" and isinstance(pid, Resource) and pid.type == "aws_iam_role":
                    continue  # role chaining inside this root (e.g. the storage reader role)
                problems.append(f"assumable by {ptype} {pid!r}")
        else:
            v.judge(role, problems, [], "assumable only by its service")
    return v.done("no IAM policy or role in the plan")
