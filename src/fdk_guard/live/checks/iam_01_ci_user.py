from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import allows, as_list

CONTROL = "FDK-IAM-01"


@check(CONTROL, "the CI user only writes the WASM bucket and invalidates its distribution")
def ci_user_least_privilege(snap):
    # IAM action names are case-insensitive; the catalogue lists exactly the allowed ones
    allowed = {a.lower() for a in params(CONTROL)["allowed_actions"]}
    buckets = set(snap.buckets)
    dists = {d["ARN"] for d in snap.distributions}
    for _name, user in sorted(snap.users.items()):
        problems = []
        for pname, doc in user.get("Policies", {}).items():
            for stmt in allows(doc):
                actions = [a.lower() for a in as_list(stmt.get("Action"))]
                resources = as_list(stmt.get("Resource"))
                if stmt.get("NotAction") or stmt.get("NotResource"):
                    problems.append(f"{pname}: NotAction/NotResource")
                if any("*" in a.split(":", 1)[0] or a.endswith(":*") for a in actions):
                    problems.append(f"{pname}: wildcard action {actions}")
                if "*" in resources:
                    problems.append(f"{pname}: resource *")
                problems += [f"{pname}: action {a}" for a in actions if a not in allowed]
                for res in resources:
                    if res.startswith("arn:aws:s3:::"):
                        if res[len("arn:aws:s3:::") :].split("/", 1)[0] not in buckets:
                            problems.append(f"{pname}: bucket {res}")
                    elif res.startswith("arn:aws:cloudfront::"):
                        if res not in dists:
                            problems.append(f"{pname}: distribution {res}")
                    elif res != "*":  # arn:*:s3:::*, another service: not the WASM site
                        problems.append(f"{pname}: resource {res}")
        if not user.get("Policies"):
            problems.append("no policy: cannot deploy the WASM app")
        if problems:
            yield bad(user["Arn"], "; ".join(sorted(set(problems))))
        else:
            yield ok(user["Arn"], "only the WASM bucket and its distribution")
