from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import environment, secret_names, server_container

CONTROL = "FDK-ECS-03"


@check(CONTROL, "the server container gets every variable of the page's server table")
def server_environment_complete(snap):
    required = tuple(params(CONTROL)["required_variables"])
    otlp = params(CONTROL)["monitoring_variable"]
    for arn, td in sorted(snap.task_definitions.items()):
        server = server_container(td, snap)
        if server is None:
            continue  # no FDK server in this task: nothing of the server's table applies
        names = set(environment(server)) | secret_names(server)
        sidecar = len(td.get("containerDefinitions", [])) > 1 and any(
            "alloy" in (c.get("image", "") + c.get("name", "")).lower()
            or "otel" in (c.get("image", "") + c.get("name", "")).lower()
            for c in td["containerDefinitions"]
        )
        missing = [v for v in required + ((otlp,) if sidecar else ()) if v not in names]
        if missing:
            yield bad(arn, f"server container lacks {missing}")
        elif environment(server).get("STORAGE__BACKEND") != "s3":
            yield bad(
                arn, f"STORAGE__BACKEND={environment(server).get('STORAGE__BACKEND')}, not s3"
            )
        else:
            yield ok(arn, f"all {len(required) + sidecar} server variables set")
