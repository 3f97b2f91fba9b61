"""What a CI principal may do: write the WASM bucket and invalidate its distribution
(FDK-IAM-01's allowed actions, on the WASM bucket and the distributions serving it)."""

from __future__ import annotations

from fdk_guard.plangraph.iam import arn_target, from_document

from ._lib import attached_arn, document_of, is_unknown, params, show, wasm_sites


def judge_ci_policies(g, policies, lost) -> tuple[list[str], list[str]]:
    """(problems, unknowns) of the policies attached to one CI principal."""
    allowed = {a.lower() for a in params("FDK-IAM-01")["allowed_actions"]}
    buckets, dists = wasm_sites(g)
    names = {b.values.get("bucket") for b in buckets.values()} - {None}
    problems, unknowns = [], list(lost)
    for res, attr in policies:
        arn = attached_arn(g, res, attr)
        if arn is not None:
            problems.append(f"{res.address} attaches managed policy {show(arn)}")
            continue
        if attr == "groups":
            unknowns.append(f"the policies of the groups {res.address} adds it to")
            continue
        sts = from_document(document_of(g, res, attr), res.address)
        if sts is None:
            unknowns.append(f"the policy of {res.address}")
            continue
        for st in (s for s in sts if s.allows):
            if st.not_actions:
                problems.append(f"{res.address}: NotAction grants everything else")
            elif is_unknown(st.actions):
                unknowns.append(f"the actions of {res.address}")
            else:
                extra = [
                    a for a in st.actions if not isinstance(a, str) or a.lower() not in allowed
                ]
                if extra:
                    problems.append(f"{res.address}: actions {extra} beyond deploying the WASM app")
            if st.not_resources:
                problems.append(f"{res.address}: NotResource")
            for arn in st.resources:
                problems_, unknowns_ = _resource(g, arn, buckets, dists, names, res.address)
                problems += problems_
                unknowns += unknowns_
    return problems, unknowns


def _resource(g, arn, buckets, dists, names, source) -> tuple[list[str], list[str]]:
    if is_unknown(arn):
        hit = arn_target(g, arn, "aws_s3_bucket", "aws_cloudfront_distribution")
        if hit is None:
            return [], [f"a resource of {source}: {show(arn)}"]
        res, suffix = hit
        if suffix and not str(suffix).startswith("/"):  # "${bucket.arn}*": wasm-anything too
            return [f"{source}: resource {res.address}.arn + {suffix!r} names other buckets"], []
        if res.address in buckets or res.address in dists:
            return [], []
        return [f"{source}: {res.address} is not the WASM bucket or its distribution"], []
    if not isinstance(arn, str):
        return [], [f"a resource of {source}"]
    if arn == "*" or "*" in arn.split(":::")[0]:
        return [f"{source}: resource {arn!r}"], []
    if arn.startswith("arn:aws:s3:::"):
        bucket = arn[len("arn:aws:s3:::") :].split("/")[0]
        if bucket in names:
            return [], []
        return [f"{source}: resource {arn!r} is not the WASM bucket"], []
    if ":cloudfront::" in arn:
        hits = g.targets(arn, "aws_cloudfront_distribution")
        if hits and all(h.address in dists for h in hits):
            return [], []
        return [], [f"{source}: distribution {arn!r} is not managed by this root"]
    return [f"{source}: resource {arn!r}"], []
