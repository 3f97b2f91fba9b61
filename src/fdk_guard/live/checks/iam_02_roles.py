from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import allows, as_list


def _trust_problems(doc: dict, own_roles: set[str]) -> list[str]:
    """Services may assume; so may the deployment's own roles by exact ARN (the server's
    task role assumes the storage reader role). Anything else is too wide."""
    problems = []
    for stmt in allows(doc):
        principal = stmt.get("Principal")
        if principal == "*" or not isinstance(principal, dict):
            problems.append(f"trusts {principal!r}")
            continue
        strangers = [p for p in as_list(principal.get("AWS")) if p not in own_roles]
        if strangers:
            problems.append(f"trusts AWS principals {strangers}")
        elif "Federated" in principal and not stmt.get("Condition"):
            problems.append("federated trust without conditions")
    return problems


@check("FDK-IAM-02", "no role policy grants * on *; roles are assumable only by their service")
def roles_least_privilege(snap):
    own_roles = {r["Arn"] for r in snap.roles.values()}
    for _name, role in sorted(snap.roles.items()):
        problems = _trust_problems(role.get("AssumeRolePolicyDocument") or {}, own_roles)
        for pname, doc in role.get("Policies", {}).items():
            for stmt in allows(doc):
                # NotAction / NotResource: every action or resource but those named
                every_action = "*" in as_list(stmt.get("Action")) or "NotAction" in stmt
                every_resource = "*" in as_list(stmt.get("Resource")) or "NotResource" in stmt
                if every_action and every_resource:
                    problems.append(f"{pname} grants * on * (or all but a few)")
        if problems:
            yield bad(role["Arn"], "; ".join(problems))
        else:
            yield ok(role["Arn"], "no * on *; trusted by its service only")
