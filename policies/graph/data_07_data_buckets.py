"""FDK-DATA-07: the server may create and read data buckets only under buckets_prefix.

The prefix is the server's own STORAGE__BUCKET_PREFIX when the configuration shows it,
else the root's buckets_prefix variable.
"""

from fdk_guard.plangraph.iam import action_matches, from_document

from ._lib import (
    Verdicts,
    as_list,
    attached_arn,
    document_of,
    is_unknown,
    judge_servers,
    params,
    role_policies,
    show,
    why,
)

CONTROL = "FDK-DATA-07"


def _prefix(g, f) -> str | None:
    for e in as_list(f.container.get("environment")):
        if isinstance(e, dict) and e.get("name") == "STORAGE__BUCKET_PREFIX":
            value = e.get("value")
            return value if isinstance(value, str) and value else None
    var = g.var("buckets_prefix")
    return var if isinstance(var, str) and var else None


def _judge_role(g, role, prefix, creates_with) -> tuple[list[str], list[str], bool]:
    problems, unknowns, creates = [], [], False
    policies, lost = role_policies(g, role)
    unknowns += lost
    for res, attr in policies:
        arn = attached_arn(g, res, attr)
        if arn is not None:
            name = arn.split("/")[-1] if isinstance(arn, str) else None
            if name in params(CONTROL)["broad_s3_policies"]:
                problems.append(f"{res.address} attaches {name}: every bucket")
            else:  # a policy this root does not write: what it allows is not in the plan
                unknowns.append(f"what the managed policy {show(arn)} of {res.address} allows")
            continue
        sts = from_document(document_of(g, res, attr), res.address)
        if sts is None:
            unknowns.append(
                f"the policy of {res.address} ({why(g.value(res, attr.split('.')[0]))})"
            )
            continue
        for st in (s for s in sts if s.allows):
            if is_unknown(st.actions) or any(is_unknown(a) for a in st.actions):
                unknowns.append(f"the actions of a statement in {res.address}")
                continue
            s3 = [
                a
                for a in st.actions
                if isinstance(a, str) and (a == "*" or a.lower().startswith("s3:"))
            ]
            if not s3 or st.not_actions:
                if st.not_actions:
                    problems.append(f"{res.address}: NotAction grants S3 beyond the prefix")
                continue
            if any(a.lower() in {c.lower() for c in creates_with} for a in s3) or any(
                action_matches(a, "s3:CreateBucket") for a in s3
            ):
                creates = True
            for arn in st.resources:
                if is_unknown(arn):
                    unknowns.append(f"a resource of {res.address}: {show(arn)}")
                elif prefix is None:
                    unknowns.append(
                        "no bucket prefix (STORAGE__BUCKET_PREFIX, buckets_prefix) to compare with"
                    )
                elif not str(arn).startswith(f"arn:aws:s3:::{prefix}") or st.not_resources:
                    problems.append(f"{res.address}: S3 access to {arn!r}, outside {prefix}*")
    return problems, unknowns, creates


def check(g):
    v = Verdicts(CONTROL)
    creates_with = params(CONTROL)["create_actions"]

    def judge(f):
        target = f.task or f.service
        role_value = g.value(f.task, "task_role_arn") if f.task else None
        if role_value is None:
            v.fail(target, "no task role: the server cannot reach its data buckets")
            return
        roles = g.targets(role_value, "aws_iam_role")
        if roles is None:
            v.defer(target, f"its task role cannot be followed ({show(role_value)})")
            return
        prefix = _prefix(g, f)
        for role in roles:
            problems, unknowns, creates = _judge_role(g, role, prefix, creates_with)
            if not creates and not problems and not unknowns:
                problems.append(f"{role.address} cannot create buckets under {prefix}*")
            v.judge(role, problems, unknowns, f"S3 only under {prefix}*, buckets created there")

    judge_servers(v, g, judge, "its task role")
    return v.done("no FDK server in this root")
