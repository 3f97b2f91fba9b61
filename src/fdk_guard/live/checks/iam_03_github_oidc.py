import re

from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import allows, as_list

CONTROL = "FDK-IAM-03"


def _condition_values(stmt: dict, key: str, requiring: re.Pattern) -> tuple[list, list]:
    """(values `key` is required to have, [(operator, values)] that do not require them)."""
    required, loose = [], []
    for test, block in (stmt.get("Condition") or {}).items():
        for k, val in (block or {}).items() if isinstance(block, dict) else ():
            if k.lower() == key:
                if requiring.match(test):
                    required += as_list(val)
                else:
                    loose.append((test, as_list(val)))
    return required, loose


@check(
    CONTROL,
    "the GitHub OIDC role requires aud sts.amazonaws.com and one repository",
    optional=True,
)
def github_oidc_role_scoped(snap):
    github, audience = params(CONTROL)["issuer"], params(CONTROL)["audience"]
    requiring = re.compile(params(CONTROL)["requiring"])
    for _name, role in sorted(snap.roles.items()):
        stmts = [
            s
            for s in allows(role.get("AssumeRolePolicyDocument") or {})
            if github in str((s.get("Principal") or {}).get("Federated", ""))
        ]
        if not stmts:
            continue
        for stmt in stmts:
            aud, loose_aud = _condition_values(stmt, f"{github}:aud", requiring)
            subs, loose_sub = _condition_values(stmt, f"{github}:sub", requiring)
            repos = {s.split(":", 2)[1] if s.count(":") >= 2 else s for s in subs}
            loose = [
                f"{t} on {claim} {v}"
                for claim, found in (("aud", loose_aud), ("sub", loose_sub))
                for t, v in found
            ]
            if loose:
                yield bad(role["Arn"], f"{'; '.join(loose)}: does not require that value")
            elif aud != [audience]:
                yield bad(role["Arn"], f"audience {aud}, expected [{audience!r}]")
            elif not subs or any(not s.startswith("repo:") for s in subs):
                yield bad(role["Arn"], f"sub condition {subs} not bound to a repository")
            elif len(repos) != 1 or any("*" in r or "?" in r for r in repos):
                yield bad(role["Arn"], f"sub {subs} is not one repository without wildcards")
            else:
                yield ok(role["Arn"], f"aud {audience}, sub bound to {repos.pop()}")
