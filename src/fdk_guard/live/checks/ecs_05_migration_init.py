from fdk_guard.catalogue import params
from fdk_guard.live.checks import bad, check, ok
from fdk_guard.live.checks._common import server_container

CONTROL = "FDK-ECS-05"


@check(
    CONTROL,
    "the migration init container is non-essential; the server waits for SUCCESS",
    optional=True,
)
def migration_before_server(snap):
    words, condition = params(CONTROL)["migration_words"], params(CONTROL)["condition"]
    for arn, td in sorted(snap.task_definitions.items()):
        server = server_container(td, snap)
        if server is None:
            continue  # no FDK server in this task
        inits = [
            c
            for c in td.get("containerDefinitions", [])
            if any(w in c.get("name", "").lower() for w in words)
        ]
        for init in inits:
            deps = {d["containerName"]: d["condition"] for d in server.get("dependsOn", [])}
            if init.get("essential", True):
                yield bad(arn, f"{init['name']} is essential")
            elif deps.get(init["name"]) != condition:
                yield bad(
                    arn,
                    f"server depends on {init['name']} with {deps.get(init['name'])}, "
                    f"not {condition}",
                )
            else:
                yield ok(arn, f"{init['name']} non-essential; server waits for {condition}")
