"""FDK-DATA-07: the server may create and read data buckets only under buckets_prefix."""

from fdk_guard.plangraph import Resource, is_unknown
from fdk_guard.plangraph.iam import statements

from ._lib import Verdicts

CONTROL = "FDK-DATA-07"


def role_policies(g, role):
    """(resource, attr) of every policy attached to `role` in the plan."""
    out = []
    for rp in g.of_type("aws_iam_role_policy"):
        if role.address in (g.refs(rp, "role") or set()):
            out.append(rp)
    for att in g.of_type("aws_iam_role_policy_attachment"):
        if role.address in (g.refs(att, "role") or set()):
            out += [
                p for p in g.ref_resources(att, "policy_arn") or [] if p.type == "aws_iam_policy"
            ]
    return out


def check(g):
    v = Verdicts(CONTROL)
    prefix = g.var("buckets_prefix")
    for td in g.of_type("aws_ecs_task_definition"):
        roles = [r for r in g.ref_resources(td, "task_role_arn") or [] if r.type == "aws_iam_role"]
        if not roles:
            v.fail(
                td, "no task role: the server cannot reach its data buckets"
            ) if not td.expression("task_role_arn") else v.defer(td, "task role cannot be followed")
            continue
        for role in roles:
            problems, unknowns, creates = [], [], False
            for pol in role_policies(g, role):
                sts = statements(g, pol)
                if sts is None:
                    unknowns.append(f"policy of {pol.address}")
                    continue
                for st in (s for s in sts if s.allows):
                    if is_unknown(st.actions):
                        unknowns.append(f"actions in {st.source}")
                        continue
                    s3 = [a for a in st.actions if a == "*" or a.lower().startswith("s3:")]
                    if not s3:
                        continue
                    creates |= any(a.lower() in ("s3:createbucket", "s3:*", "*") for a in s3)
                    for res in st.resources:
                        if isinstance(res, Resource):
                            problems.append(f"{pol.address}: S3 access to {res.address}")
                        elif is_unknown(res):
                            unknowns.append(f"resources in {st.source}")
                        elif not isinstance(prefix, str) or not prefix:
                            unknowns.append("no buckets_prefix variable to compare with")
                        elif not res.startswith(f"arn:aws:s3:::{prefix}"):
                            problems.append(
                                f"{pol.address}: S3 access to {res!r} outside {prefix!r}"
                            )
            if not creates and not problems:
                problems.append(f"{role.address} cannot create buckets under the prefix")
            v.judge(role, problems, unknowns, f"S3 access only under {prefix!r}")
    return v.done("no ECS task definition in the plan")
