from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import environment, secret_names, server_container

REQUIRED = (
    "DATABASE__HOST",
    "DATABASE__PORT",
    "DATABASE__NAME",
    "DATABASE__SSL_MODE",
    "DATABASE__AUTH__USERNAME",
    "DATABASE__AUTH__PASSWORD",
    "STORAGE__BACKEND",
    "STORAGE__REGION",
    "STORAGE__BUCKET_PREFIX",
    "STORAGE__READER_ROLE_ARN",
    "AUTH__ISSUER",
    "AUTH__CLIENT_ID",
)
OTLP = "OBSERVABILITY__OTEL_EXPORTER_OTLP_ENDPOINT"


@check("FDK-ECS-03", "the server container gets every variable of the page's server table")
def server_environment_complete(snap):
    for arn, td in sorted(snap.task_definitions.items()):
        server = server_container(td)
        if server is None:
            yield bad(arn, "no server container")
            continue
        names = set(environment(server)) | secret_names(server)
        sidecar = len(td.get("containerDefinitions", [])) > 1 and any(
            "alloy" in (c.get("image", "") + c.get("name", "")).lower()
            or "otel" in (c.get("image", "") + c.get("name", "")).lower()
            for c in td["containerDefinitions"]
        )
        missing = [v for v in REQUIRED + ((OTLP,) if sidecar else ()) if v not in names]
        if missing:
            yield bad(arn, f"server container lacks {missing}")
        elif environment(server).get("STORAGE__BACKEND") != "s3":
            yield bad(
                arn, f"STORAGE__BACKEND={environment(server).get('STORAGE__BACKEND')}, not s3"
            )
        else:
            yield ok(arn, f"all {len(REQUIRED) + sidecar} server variables set")
