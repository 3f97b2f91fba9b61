"""FDK-ECS-03: the server container gets every variable of the seed's server table that
applies (DATABASE__*, STORAGE__*, AUTH__*, and the OTLP endpoint when monitoring is on)."""

from ._lib import Verdicts, container_definitions, server_container

CONTROL = "FDK-ECS-03"
REQUIRED = (
    "DATABASE__HOST", "DATABASE__PORT", "DATABASE__NAME", "DATABASE__SSL_MODE",
    "DATABASE__AUTH__USERNAME", "DATABASE__AUTH__PASSWORD",
    "STORAGE__BACKEND", "STORAGE__REGION", "STORAGE__BUCKET_PREFIX", "STORAGE__READER_ROLE_ARN",
    "AUTH__ISSUER", "AUTH__CLIENT_ID",
)  # fmt: skip
OTLP = "OBSERVABILITY__OTEL_EXPORTER_OTLP_ENDPOINT"


def check(g):
    v = Verdicts(CONTROL)
    for td in g.of_type("aws_ecs_task_definition"):
        containers = container_definitions(td)
        if containers is None:
            v.defer(td, "container_definitions unknown until apply (built from resource ARNs)")
            continue
        server = server_container(containers)
        if server is None:
            v.fail(td, "no server container (none maps port 8080)")
            continue
        names = {e.get("name") for e in server.get("environment") or []}
        names |= {s.get("name") for s in server.get("secrets") or []}
        want = list(REQUIRED) + ([OTLP] if g.var("monitoring_enabled") is True else [])
        missing = [n for n in want if n not in names]
        problems = [f"server container misses {missing}"] if missing else []
        v.judge(td, problems, [], f"server container gets {len(want)} seed variables")
    return v.done("no ECS task definition in the plan")
