from fdk_guard.catalogue import params
from fdk_guard.live.checks import Verdict, bad, check, ok
from fdk_guard.live.checks._common import environment, server_container

CONTROL = "FDK-DATA-08"


@check(CONTROL, "the server reaches the database over TLS")
def database_tls_required(snap):
    strict, force_ssl = params(CONTROL)["ssl_modes"], params(CONTROL)["force_ssl_parameter"]
    for arn, td in sorted(snap.task_definitions.items()):
        server = server_container(td, snap)
        if server is None:
            continue  # no FDK server in this task
        mode = environment(server).get("DATABASE__SSL_MODE", "")
        if mode in strict:
            yield ok(arn, f"DATABASE__SSL_MODE={mode}")
        else:
            yield bad(arn, f"DATABASE__SSL_MODE={mode or 'unset'}, expected one of {strict}")
    for db in snap.db_instances:
        cluster = snap.cluster_of(db)
        if cluster is not None:  # Aurora: the cluster parameter group decides
            name = cluster.get("DBClusterParameterGroup", "")
            value = snap.db_parameters.get(f"cluster:{name}", {}).get(force_ssl)
            if value in ("0", "false"):
                yield bad(db["DBInstanceArn"], f"cluster group {name} sets {force_ssl}=0")
            elif value in ("1", "true"):
                yield ok(db["DBInstanceArn"], f"cluster group {name} sets {force_ssl}=1")
            else:
                yield Verdict(
                    "deferred",
                    db["DBInstanceArn"],
                    f"cluster group {name} leaves {force_ssl} to Aurora's default, not read",
                )
            continue
        for group in db.get("DBParameterGroups", []):
            value = snap.db_parameters.get(group["DBParameterGroupName"], {}).get(force_ssl)
            if value in ("0", "false"):
                yield bad(
                    db["DBInstanceArn"], f"{group['DBParameterGroupName']} sets {force_ssl}=0"
                )
            else:
                yield ok(db["DBInstanceArn"], f"{force_ssl}={value or 'engine default (1 on 15+)'}")
