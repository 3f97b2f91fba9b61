import re

from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import environment, secret_names, server_container

CONTROL = "FDK-DATA-02"


def _secretish(name: str, p: dict) -> bool:
    return name in p["secret_variables"] or any(
        re.search(pattern, name, re.I) for pattern in p["secret_name_patterns"]
    )


@check(CONTROL, "RDS credentials are generated in Secrets Manager")
def rds_managed_master_password(snap):
    for db in snap.db_instances:
        owner = snap.cluster_of(db) or db  # an Aurora instance's secret is its cluster's
        secret = (owner.get("MasterUserSecret") or {}).get("SecretArn", "")
        if secret.startswith("arn:") and ":secretsmanager:" in secret:
            yield ok(db["DBInstanceArn"], "master password managed in Secrets Manager")
        else:
            yield bad(db["DBInstanceArn"], "master password is not managed by Secrets Manager")


@check(CONTROL, "the task gets the database password through secrets, never environment")
def task_password_from_secrets(snap):
    p = params(CONTROL)
    for arn, td in sorted(snap.task_definitions.items()):
        leaked = sorted(
            name
            for c in td.get("containerDefinitions", [])
            for name, value in environment(c).items()
            if _secretish(name, p) or re.search(p["secret_value_pattern"], str(value))
        )
        server = server_container(td, snap)
        if leaked:
            yield bad(arn, f"secret-looking variable(s) in plain environment: {leaked}")
        elif server is None:
            continue  # no FDK server in this task: its password rule does not apply
        elif missing := [v for v in p["secret_variables"] if v not in secret_names(server)]:
            yield bad(arn, f"{missing} not passed through `secrets`")
        else:
            yield ok(arn, "database password passed through `secrets`")
