"""FDK-DATA-08: the server reaches the database over TLS: DATABASE__SSL_MODE is require or
stricter, and the instance's parameter group does not turn rds.force_ssl off."""

from ._lib import Verdicts, container_definitions, server_container

CONTROL = "FDK-DATA-08"
STRICT = ("require", "verify-ca", "verify-full")


def check(g):
    v = Verdicts(CONTROL)
    for db in g.of_type("aws_db_instance"):
        groups = [
            r
            for r in g.ref_resources(db, "parameter_group_name") or []
            if r.type == "aws_db_parameter_group"
        ]
        problems = []
        for pg in groups:
            for p in pg.block("parameter"):
                if p.get("name") == "rds.force_ssl" and str(p.get("value")) == "0":
                    problems.append(f"{pg.address} sets rds.force_ssl = 0")
        v.judge(db, problems, [], "rds.force_ssl left on (PostgreSQL 15+ default) or set to 1")
    for td in g.of_type("aws_ecs_task_definition"):
        containers = container_definitions(td)
        if containers is None:
            v.defer(td, "container_definitions unknown until apply: DATABASE__SSL_MODE not visible")
            continue
        server = server_container(containers)
        env = {e.get("name"): e.get("value") for e in (server or {}).get("environment") or []}
        mode = env.get("DATABASE__SSL_MODE")
        problems = (
            [] if mode in STRICT else [f"DATABASE__SSL_MODE = {mode!r}, not {'/'.join(STRICT)}"]
        )
        v.judge(td, problems, [], f"DATABASE__SSL_MODE = {mode}")
    return v.done("no RDS instance in the plan")
