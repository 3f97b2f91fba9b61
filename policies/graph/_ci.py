"""What a CI principal may do: write the WASM bucket and invalidate its distribution."""

from __future__ import annotations

from fdk_guard.plangraph import Resource, is_unknown
from fdk_guard.plangraph.iam import statements

from ._wasm import wasm_buckets

CI_ACTIONS = {
    "s3:putobject", "s3:getobject", "s3:deleteobject", "s3:listbucket", "s3:getbucketlocation",
    "s3:putobjectacl", "s3:abortmultipartupload", "s3:listmultipartuploadparts",
    "cloudfront:createinvalidation", "cloudfront:getinvalidation",
    "cloudfront:listinvalidations", "cloudfront:getdistribution",
}  # fmt: skip


def user_policies(g, user) -> list[tuple[Resource, str]]:
    out = []
    for p in g.of_type("aws_iam_user_policy"):
        if user.address in (g.refs(p, "user") or set()):
            out.append(p)
    for att in g.of_type("aws_iam_user_policy_attachment", "aws_iam_policy_attachment"):
        if user.address in (g.refs(att, "user") or g.refs(att, "users") or set()):
            out.append(att)
    return out


def judge_ci_policy(g, pol: Resource) -> tuple[list[str], list[str]]:
    """(problems, unknowns) of one policy attached to a CI principal."""
    if pol.type in (
        "aws_iam_user_policy_attachment",
        "aws_iam_policy_attachment",
        "aws_iam_role_policy_attachment",
    ):
        targets = [
            r for r in g.ref_resources(pol, "policy_arn") or [] if r.type == "aws_iam_policy"
        ]
        if not targets:
            return [f"{pol.address} attaches managed policy {pol.get('policy_arn')!r}"], []
        pol = targets[0]
    sts = statements(g, pol)
    if sts is None:
        return [], [f"policy of {pol.address}"]
    buckets = {b.address: b for b in wasm_buckets(g)}
    names = {b.get("bucket") for b in buckets.values() if isinstance(b.get("bucket"), str)}
    problems, unknowns = [], []
    for st in (s for s in sts if s.allows):
        if is_unknown(st.actions):
            unknowns.append(f"actions of {st.source}")
        elif st.not_actions:
            problems.append(f"{st.source}: NotAction grants everything else")
        else:
            extra = [a for a in st.actions if a.lower() not in CI_ACTIONS]
            if extra:
                problems.append(f"{st.source}: actions {extra} beyond WASM deploy")
        if st.not_resources:
            problems.append(f"{st.source}: NotResource")
        for res in st.resources:
            if isinstance(res, Resource):
                if res.type == "aws_s3_bucket" and res.address not in buckets:
                    problems.append(f"{st.source}: bucket {res.address} is not the WASM bucket")
                elif res.type not in ("aws_s3_bucket", "aws_cloudfront_distribution"):
                    problems.append(f"{st.source}: resource {res.address}")
            elif is_unknown(res):
                unknowns.append(f"resources of {st.source}")
            elif res == "*" or "*" in res.split(":::")[0]:
                problems.append(f"{st.source}: resource {res!r}")
            elif res.startswith("arn:aws:s3:::"):
                if res[len("arn:aws:s3:::") :].split("/")[0] not in names:
                    problems.append(f"{st.source}: resource {res!r} is not the WASM bucket")
            elif ":cloudfront::" not in res:
                problems.append(f"{st.source}: resource {res!r}")
    return problems, unknowns
