"""FDK-IAM-02: no IAM policy in the root grants `*` on `*`; roles are assumable only by their
service (federated trust is judged by FDK-IAM-03; roles of this root may chain)."""

from fdk_guard.plangraph.iam import from_document

from ._lib import Verdicts, as_list, is_unknown, params, show

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
ADMIN = ("AdministratorAccess", "IAMFullAccess", "PowerUserAccess")


def _star(values) -> bool:
    return any(isinstance(x, str) and x == "*" for x in as_list(values))


def _judge_document(v, res, doc) -> None:
    sts = from_document(doc, res.address)
    if sts is None:
        v.defer(res, f"its policy document: {show(doc)}")
        return
    allows = [s for s in sts if s.allows]
    # every action (`*`, or NotAction: all but those named) on every resource (likewise)
    every_action = [
        s for s in allows if not is_unknown(s.actions) and (_star(s.actions) or s.not_actions)
    ]
    bad = [s for s in every_action if s.not_resources or _star(s.resources)]
    unknown = [s for s in allows if is_unknown(s.actions)]
    # a resource unknown as a whole may be "*"; an instance's ARN or a template never is
    unknown += [
        s
        for s in every_action
        if any(is_unknown(r) and r.ref is None and r.parts is None for r in s.resources)
    ]
    if bad:
        s = bad[0]
        what = "NotAction (every other action)" if s.not_actions else "Action '*'"
        where = "NotResource (every other resource)" if s.not_resources else "Resource '*'"
        v.fail(res, f"grants {what} on {where}")
    elif unknown:
        v.defer(res, "actions or resources known after apply")
    else:
        v.ok(res, "no '*' on '*'")


def check(g):
    v = Verdicts(CONTROL)
    github = params("FDK-IAM-03")["issuer"]
    for pol in g.of_type(*POLICY_TYPES):
        _judge_document(v, pol, g.document(pol, "policy"))
    for role in g.of_type("aws_iam_role"):
        for i, item in enumerate(as_list(g.value(role, "inline_policy"))):
            if isinstance(item, dict) and item.get("policy") is not None:
                _judge_document(v, role, g.document(role, "inline_policy", i, "policy"))
    for att in g.of_type(*ATTACH):
        arn = g.value(att, "policy_arn")
        if isinstance(arn, str) and arn.split("/")[-1] in ADMIN:
            v.fail(att, f"attaches {arn.split('/')[-1]}")
    for role in g.of_type("aws_iam_role"):  # managed_policy_arns attach as attachments do
        managed = g.value(role, "managed_policy_arns")
        admin = [
            a.split("/")[-1]
            for a in (as_list(managed) if not is_unknown(managed) else [])
            if isinstance(a, str) and a.split("/")[-1] in ADMIN
        ]
        if admin:
            v.fail(role, f"managed_policy_arns attaches {admin}")
    for role in g.of_type("aws_iam_role"):
        sts = from_document(g.document(role, "assume_role_policy"), role.address)
        if sts is None:
            v.defer(role, "its trust policy is known after apply")
            continue
        problems, unknowns = [], []
        for s in (s for s in sts if s.allows):
            if is_unknown(s.principals):
                unknowns.append("trust principals")
                continue
            for ptype, pid in s.principals:
                inside = g.targets(pid, "aws_iam_role", "aws_iam_user")
                if inside:
                    continue  # a principal of this root (role chaining, e.g. the reader role)
                if is_unknown(pid):
                    unknowns.append(f"{ptype} principal {show(pid)}")
                    continue
                if (
                    ptype == "Service"
                    and isinstance(pid, str)
                    and pid.endswith((".amazonaws.com", ".amazonaws.com.cn"))
                ):
                    continue
                if ptype == "Federated" and github in str(pid):
                    continue  # judged by FDK-IAM-03
                if ptype == "Federated" and not s.conditions:
                    problems.append(f"federated trust of {pid!r} without conditions")
                    continue
                if ptype == "Federated":
                    continue  # an identity provider's trust, narrowed by its conditions
                problems.append(f"assumable by {ptype} {pid!r}")
        v.judge(role, problems, unknowns, "assumable only by its service")
    return v.done("no IAM policy or role in this root")
