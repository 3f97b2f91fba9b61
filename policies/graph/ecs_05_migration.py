"""FDK-ECS-05: the optional migration init container is non-essential and the server starts
only after it succeeds."""

from ._lib import Verdicts, container_definitions, server_container

CONTROL = "FDK-ECS-05"


def check(g):
    v = Verdicts(CONTROL)
    for td in g.of_type("aws_ecs_task_definition"):
        containers = container_definitions(td)
        if containers is None:
            v.defer(td, "container_definitions unknown until apply")
            continue
        server = server_container(containers)
        others = [
            c
            for c in containers
            if c is not server
            and c.get("command")
            and "migrat" in " ".join(map(str, c.get("command")))
        ]
        if not others:
            v.na(td, "no migration init container")
            continue
        deps = {
            d.get("containerName"): d.get("condition")
            for d in (server or {}).get("dependsOn") or []
        }
        for c in others:
            problems = []
            if c.get("essential", True):
                problems.append(f"{c.get('name')} is essential")
            if deps.get(c.get("name")) != "SUCCESS":
                got = deps.get(c.get("name"))
                problems.append(f"server does not wait for {c.get('name')} to succeed ({got!r})")
            v.judge(td, problems, [], f"{c.get('name')} non-essential; server dependsOn SUCCESS")
    return v.done("no ECS task definition in the plan")
