from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import allows, as_list, environment, server_container


def _s3(action: str) -> bool:
    return action == "*" or action.lower().startswith("s3:")


def _judge_role(role: dict, prefix: str):
    # NotAction / NotResource: every action or resource but those named, S3 ones included
    negated = [
        name
        for name, doc in role.get("Policies", {}).items()
        for stmt in allows(doc)
        if "NotResource" in stmt or "NotAction" in stmt
    ]
    if negated:
        return bad(role["Arn"], f"NotAction/NotResource reach S3 outside {prefix}*: {negated}")
    wide = sorted(
        {
            res
            for doc in role.get("Policies", {}).values()
            for stmt in allows(doc)
            if any(_s3(a) for a in as_list(stmt.get("Action")))
            for res in as_list(stmt.get("Resource"))
            if not res.startswith(f"arn:aws:s3:::{prefix}")
        }
    )
    if wide:
        return bad(role["Arn"], f"S3 access outside {prefix}*: {wide}")
    return ok(role["Arn"], f"S3 access only under {prefix}*")


@check("FDK-DATA-07", "the server's S3 permissions reach only buckets under buckets_prefix")
def server_s3_scoped_to_prefix(snap):
    for arn, td in sorted(snap.task_definitions.items()):
        server = server_container(td, snap)
        if server is None:
            continue  # no FDK server in this task
        env = environment(server)
        prefix = env.get("STORAGE__BUCKET_PREFIX", "")
        role_arns = [r for r in (td.get("taskRoleArn"), env.get("STORAGE__READER_ROLE_ARN")) if r]
        roles = [snap.roles.get(r.rsplit("/", 1)[-1]) for r in role_arns]
        if not prefix:
            yield bad(arn, "STORAGE__BUCKET_PREFIX is not set on the server")
        elif not roles or None in roles:
            yield bad(arn, f"task or reader role not found: {role_arns}")
        else:
            yield from (_judge_role(role, prefix) for role in roles)
