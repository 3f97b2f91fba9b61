from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import allows, as_list

CONTROL = "FDK-IAM-03"


def _condition_values(stmt: dict, key: str) -> list[str]:
    cond = stmt.get("Condition") or {}
    return [
        v for block in cond.values() for k, val in block.items() if k == key for v in as_list(val)
    ]


@check(
    CONTROL,
    "the GitHub OIDC role requires aud sts.amazonaws.com and one repository",
    optional=True,
)
def github_oidc_role_scoped(snap):
    github, audience = params(CONTROL)["issuer"], params(CONTROL)["audience"]
    for _name, role in sorted(snap.roles.items()):
        stmts = [
            s
            for s in allows(role.get("AssumeRolePolicyDocument") or {})
            if github in str((s.get("Principal") or {}).get("Federated", ""))
        ]
        if not stmts:
            continue
        for stmt in stmts:
            aud = _condition_values(stmt, f"{github}:aud")
            subs = _condition_values(stmt, f"{github}:sub")
            repos = {s.split(":", 2)[1] if s.count(":") >= 2 else s for s in subs}
            if aud != [audience]:
                yield bad(role["Arn"], f"audience {aud}, expected [{audience!r}]")
            elif not subs or any(not s.startswith("repo:") for s in subs):
                yield bad(role["Arn"], f"sub condition {subs} not bound to a repository")
            elif len(repos) != 1 or any("*" in r or "?" in r for r in repos):
                yield bad(role["Arn"], f"sub {subs} is not one repository without wildcards")
            else:
                yield ok(role["Arn"], f"aud {audience}, sub bound to {repos.pop()}")
