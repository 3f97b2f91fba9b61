from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import environment, secret_names, server_container

SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN")


@check("FDK-DATA-02", "RDS credentials are generated in Secrets Manager")
def rds_managed_master_password(snap):
    for db in snap.db_instances:
        secret = (db.get("MasterUserSecret") or {}).get("SecretArn", "")
        if secret.startswith("arn:") and ":secretsmanager:" in secret:
            yield ok(db["DBInstanceArn"], "master password managed in Secrets Manager")
        else:
            yield bad(db["DBInstanceArn"], "master password is not managed by Secrets Manager")


@check("FDK-DATA-02", "the task gets the database password through secrets, never environment")
def task_password_from_secrets(snap):
    for arn, td in sorted(snap.task_definitions.items()):
        leaked = sorted(
            name
            for c in td.get("containerDefinitions", [])
            for name in environment(c)
            if any(w in name.upper() for w in SECRET_WORDS)
        )
        server = server_container(td) or {}
        if leaked:
            yield bad(arn, f"secret-looking variable(s) in plain environment: {leaked}")
        elif "DATABASE__AUTH__PASSWORD" not in secret_names(server):
            yield bad(arn, "DATABASE__AUTH__PASSWORD is not passed through `secrets`")
        else:
            yield ok(arn, "database password passed through `secrets`")
