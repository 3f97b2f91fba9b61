"""FDK-ECS-04: a private registry's credentials live in Secrets Manager and reach ECS as
repositoryCredentials (and the execution role can read them).

The registry is private when the root's docker_registry_username is set, or when a
container names repositoryCredentials.
"""

from fdk_guard.plangraph.iam import action_matches, from_document

from ._lib import (
    Verdicts,
    attached_arn,
    document_of,
    is_unknown,
    judge_servers,
    role_policies,
    servers,
    show,
)

CONTROL = "FDK-ECS-04"
SECRET = "aws_secretsmanager_secret"  # noqa: S105 - a resource type


def _readable(g, td, secret) -> bool | None:
    roles = g.targets(g.value(td, "execution_role_arn"), "aws_iam_role")
    if not roles:
        return None if roles is None else False
    unknown = False
    for role in roles:
        policies, lost = role_policies(g, role)
        unknown |= bool(lost)
        for res, attr in policies:
            if attached_arn(g, res, attr) is not None:
                continue
            sts = from_document(document_of(g, res, attr), res.address)
            if sts is None:
                unknown = True
                continue
            for st in (s for s in sts if s.allows):
                if is_unknown(st.actions):
                    unknown = True
                    continue
                if not any(
                    action_matches(a, "secretsmanager:GetSecretValue")
                    for a in st.actions
                    if isinstance(a, str)
                ):
                    continue
                for arn in st.resources:
                    hits = g.targets(arn, SECRET)
                    if hits and secret in hits:
                        return True
                    if arn == "*":
                        return True
                    if hits is None and is_unknown(arn):
                        unknown = True
    return None if unknown else False


def check(g):
    v = Verdicts(CONTROL)
    # set or not (a sensitive value is redacted, but a null stays null)
    username = g.variables.get("docker_registry_username")
    s = servers(g)
    wanted = username is not None
    if not wanted and not any((f.container or {}).get("repositoryCredentials") for f in s.found):
        return v.done("a public image: no docker_registry_username and no repositoryCredentials")

    def judge(f):
        target = f.task or f.service
        creds = (f.container or {}).get("repositoryCredentials") or {}
        param = creds.get("credentialsParameter") if isinstance(creds, dict) else None
        if param is None:
            v.fail(target, f"container {f.container_name!r} has no repositoryCredentials")
            return
        secrets = g.targets(param, SECRET)
        if secrets is None:
            if isinstance(param, str) and ":secretsmanager:" in param:
                v.defer(
                    target, f"secret {param!r} is not managed by this root: checked after deploy"
                )
            elif isinstance(param, str):
                v.fail(target, f"repositoryCredentials {param!r} is not a Secrets Manager secret")
            else:
                v.defer(target, f"repositoryCredentials cannot be followed ({show(param)})")
            return
        readable = _readable(g, f.task, secrets[0]) if f.task else None
        if readable is False:
            v.fail(target, f"the execution role cannot read {secrets[0].address}")
        elif readable is None:
            v.defer(
                target,
                f"the execution role's policies cannot be followed to {secrets[0].address}",
            )
        else:
            v.ok(
                target, f"registry credentials in {secrets[0].address}, read by the execution role"
            )

    judge_servers(v, g, judge, "repositoryCredentials")
    return v.done("no FDK server in this root")
